#include "idents.h"

#include <stdio.h>

#include "core.h"

int t_ident_credit_code(char out[19], unsigned seed)
{
	/* 9 1 (enterprise), a Suzhou division, then an organisation code body */
	static const char alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
	snprintf(out, 19, "91320508");
	for (int i = 8; i < 17; i++) {
		out[i] = alphabet[seed % 31];
		seed = seed / 31 + (unsigned)i * 7919u;
	}
	out[17] = '\0';
	char check;
	if (core_ident_credit_code_check_char(&check, out) != 0)
		return -1;
	out[17] = check;
	out[18] = '\0';
	return 0;
}

int t_ident_resident_id(char out[19], unsigned seed)
{
	/* independent digits from the seed: 40 × 12 × 28 × 1000 distinct ids */
	unsigned y = seed % 40, m, d, seq;
	seed /= 40;
	m = seed % 12;
	seed /= 12;
	d = seed % 28;
	seed /= 28;
	seq = seed % 1000;
	snprintf(out, 19, "320508%04u%02u%02u%03u", 1960 + y, 1 + m, 1 + d, seq);
	char check;
	if (core_ident_resident_id_check_char(&check, out) != 0)
		return -1;
	out[17] = check;
	out[18] = '\0';
	return 0;
}
