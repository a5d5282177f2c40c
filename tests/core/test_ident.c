/* test_ident.c — resident ID (GB 11643) and unified social credit code
 * (GB 32100), with the SECURITY.md validation vectors */
#include <criterion/criterion.h>

#include "test_util.h"

static const core_date today = { 2024, 6, 15 };

/* SECURITY.md vectors for resident IDs */
Test(core, ID_resident_id_vectors)
{
	const struct { const char *s; int rc; const char *norm; } t[] = {
		{ "360426199101010071", 0, "360426199101010071" },
		{ "44011320141005001X", 0, "44011320141005001X" },
		{ "44011320141005001x", 0, "44011320141005001X" },   /* lower-case x accepted */
		{ "36042619910102009X", CORE_ECHECKSUM, NULL },      /* bad check */
		{ "360426199113010079", CORE_EDATE, NULL },          /* check ok, month 13 */
		{ "360426199101010072", CORE_ECHECKSUM, NULL },
		{ "36042619910101007", CORE_EINVAL, NULL },          /* 17 chars */
		{ "3604261991010100711", CORE_EINVAL, NULL },        /* 19 chars */
		{ "36042619910101007Y", CORE_EINVAL, NULL },
		{ "3604261991O1010071", CORE_EINVAL, NULL },         /* letter O */
		{ "", CORE_EINVAL, NULL },
		{ NULL, CORE_EINVAL, NULL },
	};

	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		char norm[CORE_IDENT_BUFSZ] = "unchanged";
		int rc = core_ident_resident_id_check(norm, t[i].s, today);

		cr_expect_eq(rc, t[i].rc, "%s: %s want %s", t[i].s ? t[i].s : "NULL",
		             core_error_name(rc), core_error_name(t[i].rc));
		if (t[i].norm != NULL)
			cr_expect_str_eq(norm, t[i].norm);
		else
			cr_expect_str_eq(norm, "unchanged");
	}
	cr_expect_eq(core_ident_resident_id_check(NULL, "360426199101010071", today), 0);
}

/* a real birth date, not after today */
Test(core, ID_resident_id_birth_date)
{
	char id[CORE_IDENT_BUFSZ];
	char c;
	core_date b;

	/* born 2014-10-05: future on 2014-10-04, fine on the day */
	cr_expect_eq(core_ident_resident_id_check(NULL, "44011320141005001X",
	                                          core_date_make(2014, 10, 4)), CORE_EFUTURE);
	cr_expect_eq(core_ident_resident_id_check(NULL, "44011320141005001X",
	                                          core_date_make(2014, 10, 5)), 0);
	cr_assert_eq(core_ident_resident_id_birth(&b, "44011320141005001X"), 0);
	cr_expect(b.y == 2014 && b.m == 10 && b.d == 5);
	/* 29 February: real in 2000, not in 1900 */
	strcpy(id, "11010120000229123");
	cr_assert_eq(core_ident_resident_id_check_char(&c, id), 0);
	id[17] = c;
	id[18] = '\0';
	cr_expect_eq(core_ident_resident_id_check(NULL, id, today), 0, "%s", id);
	strcpy(id, "11010119000229123");
	cr_assert_eq(core_ident_resident_id_check_char(&c, id), 0);
	id[17] = c;
	id[18] = '\0';
	cr_expect_eq(core_ident_resident_id_check(NULL, id, today), CORE_EDATE, "%s", id);
	cr_expect_eq(core_ident_resident_id_check_char(&c, "1101011900022912"), CORE_EINVAL);
	cr_expect_eq(core_ident_resident_id_birth(&b, "1101011900022"), CORE_EINVAL);
}

/* responses show the first 6 and last 4 characters */
Test(core, ID_resident_id_mask)
{
	char m[CORE_IDENT_BUFSZ];

	cr_assert_eq(core_ident_resident_id_mask(m, "44011320141005001X"), 0);
	cr_expect_str_eq(m, "440113********001X");
	cr_expect_eq(core_ident_resident_id_mask(m, "4401132014100500"), CORE_EINVAL);
}

/* SECURITY.md vectors for credit codes */
Test(core, ID_credit_code_vectors)
{
	const struct { const char *s; int rc; } t[] = {
		{ "91350100M000100Y43", 0 },
		{ "91350100M0001TGQXM", CORE_ECHECKSUM },   /* legal early codes: need override */
		{ "91350211M0000XUF46", CORE_ECHECKSUM },
		{ "91350203M0001FUE2P", CORE_ECHECKSUM },
		{ "91350100M000100Y44", CORE_ECHECKSUM },
		{ "91350100m000100Y43", CORE_EINVAL },      /* lower case */
		{ "91350100I000100Y43", CORE_EINVAL },      /* I, O, S, V, Z are not in the alphabet */
		{ "91350100O000100Y43", CORE_EINVAL },
		{ "91350100S000100Y43", CORE_EINVAL },
		{ "91350100V000100Y43", CORE_EINVAL },
		{ "91350100Z000100Y43", CORE_EINVAL },
		{ "91350100M000100Y4Z", CORE_EINVAL },
		{ "91350100M000100Y4", CORE_EINVAL },
		{ "91350100M000100Y433", CORE_EINVAL },
		{ "", CORE_EINVAL },
		{ NULL, CORE_EINVAL },
	};

	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		int rc = core_ident_credit_code_check(t[i].s);

		cr_expect_eq(rc, t[i].rc, "%s: %s want %s", t[i].s ? t[i].s : "NULL",
		             core_error_name(rc), core_error_name(t[i].rc));
	}
	char c;
	cr_assert_eq(core_ident_credit_code_check_char(&c, "91350100M000100Y4"), 0);
	cr_expect_eq(c, '3');
	/* a character outside the alphabet is refused before the end is reached */
	cr_expect_eq(core_ident_credit_code_check_char(&c, "9135010I"), CORE_EINVAL);
}
