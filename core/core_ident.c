/* core_ident.c — GB 11643 and GB 32100 check characters */
#include "core_ident.h"

#include <string.h>

static const int rid_weights[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 };
static const char rid_check[11] = { '1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2' };

static const char ucc_alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
static const int ucc_weights[17] = { 1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28 };

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

int core_ident_resident_id_check_char(char *out, const char *s17)
{
	int sum = 0;

	if (s17 == NULL)
		return CORE_EINVAL;
	for (int i = 0; i < 17; i++) {
		if (!is_digit(s17[i]))
			return CORE_EINVAL;
		sum += (s17[i] - '0') * rid_weights[i];
	}
	*out = rid_check[sum % 11];
	return 0;
}

int core_ident_resident_id_birth(core_date *out, const char *s)
{
	int v[8];

	if (s == NULL)
		return CORE_EINVAL;
	for (int i = 0; i < 14; i++)
		if (!is_digit(s[i]))
			return CORE_EINVAL;
	for (int i = 0; i < 8; i++)
		v[i] = s[6 + i] - '0';
	out->y = v[0] * 1000 + v[1] * 100 + v[2] * 10 + v[3];
	out->m = v[4] * 10 + v[5];
	out->d = v[6] * 10 + v[7];
	return 0;
}

int core_ident_resident_id_check(char out_normalised[CORE_IDENT_BUFSZ],
                                 const char *s, core_date today)
{
	char norm[CORE_IDENT_BUFSZ];
	char want;
	core_date birth;

	if (s == NULL || strlen(s) != CORE_IDENT_LEN)
		return CORE_EINVAL;
	memcpy(norm, s, CORE_IDENT_BUFSZ);
	if (norm[17] == 'x')
		norm[17] = 'X';
	if (!is_digit(norm[17]) && norm[17] != 'X')
		return CORE_EINVAL;
	if (core_ident_resident_id_check_char(&want, norm) < 0)
		return CORE_EINVAL;
	if (want != norm[17])
		return CORE_ECHECKSUM;
	if (core_ident_resident_id_birth(&birth, norm) < 0)
		return CORE_EINVAL;
	if (!core_date_valid(birth))
		return CORE_EDATE;
	if (core_date_compare(birth, today) > 0)
		return CORE_EFUTURE;
	if (out_normalised != NULL)
		memcpy(out_normalised, norm, CORE_IDENT_BUFSZ);
	return 0;
}

int core_ident_resident_id_mask(char out[CORE_IDENT_BUFSZ], const char *s)
{
	if (s == NULL || strlen(s) != CORE_IDENT_LEN)
		return CORE_EINVAL;
	memcpy(out, s, 6);
	memset(out + 6, '*', 8);
	memcpy(out + 14, s + 14, 4);
	out[18] = '\0';
	return 0;
}

static int ucc_value(char c)
{
	const char *p;

	if (c == '\0')
		return -1;
	p = strchr(ucc_alphabet, c);
	return p != NULL ? (int)(p - ucc_alphabet) : -1;
}

int core_ident_credit_code_check_char(char *out, const char *s17)
{
	int sum = 0;

	if (s17 == NULL)
		return CORE_EINVAL;
	for (int i = 0; i < 17; i++) {
		int v = ucc_value(s17[i]);

		if (v < 0)
			return CORE_EINVAL;
		sum += v * ucc_weights[i];
	}
	*out = ucc_alphabet[(31 - sum % 31) % 31];
	return 0;
}

int core_ident_credit_code_check(const char *s)
{
	char want;

	if (s == NULL || strlen(s) != CORE_IDENT_LEN)
		return CORE_EINVAL;
	if (ucc_value(s[17]) < 0)
		return CORE_EINVAL;
	if (core_ident_credit_code_check_char(&want, s) < 0)
		return CORE_EINVAL;
	return want == s[17] ? 0 : CORE_ECHECKSUM;
}
