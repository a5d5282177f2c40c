/*
 * pp.h — a small preprocessor helper: DB_PP_FOR_EACH(F, x, (a, b, c))
 * expands to F(x, a) F(x, b) F(x, c), and to nothing for ().  It names the
 * result columns of the statements (statements.h), so it supports lists of
 * up to 32 plain identifiers; items must not themselves be macros (they are
 * expanded on the way).  Standard C17 only: no __VA_OPT__, no GNU comma
 * swallowing, no variadic macro called without its variadic argument, so
 * that gcc and clang stay quiet under -Wpedantic.
 */
#ifndef JXJY_DB_PP_H
#define JXJY_DB_PP_H

#define DB_PP_CAT(a, b) DB_PP_CAT_(a, b)
#define DB_PP_CAT_(a, b) a##b
#define DB_PP_UNPAREN(...) __VA_ARGS__

/* the 33rd argument: the count when called with the list and 32..1 */
#define DB_PP_ARG_33(_1, _2, _3, _4, _5, _6, _7, _8, _9, _10, _11, _12, _13, _14, _15, _16, \
                     _17, _18, _19, _20, _21, _22, _23, _24, _25, _26, _27, _28, _29, _30, \
                     _31, _32, n, ...) n
#define DB_PP_NARGS(...) \
	DB_PP_ARG_33(__VA_ARGS__, 32, 31, 30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19, 18, \
	             17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, ~)
/* 1 when the arguments contain a top-level comma, else 0 */
#define DB_PP_HAS_COMMA(...) \
	DB_PP_ARG_33(__VA_ARGS__, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, \
	             1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, ~)

/* 1 for no arguments at all, 0 when the first one is an identifier: only
 * an empty first argument lets DB_PP_COMMA_ meet its parentheses */
#define DB_PP_FIRST(...) DB_PP_FIRST_(__VA_ARGS__, ~)
#define DB_PP_FIRST_(a, ...) a
#define DB_PP_COMMA_(...) ,
#define DB_PP_IS_EMPTY(...) DB_PP_IS_EMPTY_(DB_PP_FIRST(__VA_ARGS__))
#define DB_PP_IS_EMPTY_(first) DB_PP_HAS_COMMA(DB_PP_COMMA_ first ())

/* the number of items, 0 for none (DB_PP_NARGS() counts one empty item) */
#define DB_PP_COUNT(...) DB_PP_CAT(DB_PP_COUNT_, DB_PP_IS_EMPTY(__VA_ARGS__))(__VA_ARGS__)
#define DB_PP_COUNT_0(...) DB_PP_NARGS(__VA_ARGS__)
#define DB_PP_COUNT_1(...) 0

#define DB_PP_FOR_EACH(F, x, list) DB_PP_FOR_EACH_(F, x, DB_PP_UNPAREN list)
#define DB_PP_FOR_EACH_(F, x, ...) \
	DB_PP_CAT(DB_PP_EACH_, DB_PP_COUNT(__VA_ARGS__))(F, x, __VA_ARGS__)

#define DB_PP_EACH_0(F, x, ...)
#define DB_PP_EACH_1(F, x, a) F(x, a)
#define DB_PP_EACH_2(F, x, a, ...) F(x, a) DB_PP_EACH_1(F, x, __VA_ARGS__)
#define DB_PP_EACH_3(F, x, a, ...) F(x, a) DB_PP_EACH_2(F, x, __VA_ARGS__)
#define DB_PP_EACH_4(F, x, a, ...) F(x, a) DB_PP_EACH_3(F, x, __VA_ARGS__)
#define DB_PP_EACH_5(F, x, a, ...) F(x, a) DB_PP_EACH_4(F, x, __VA_ARGS__)
#define DB_PP_EACH_6(F, x, a, ...) F(x, a) DB_PP_EACH_5(F, x, __VA_ARGS__)
#define DB_PP_EACH_7(F, x, a, ...) F(x, a) DB_PP_EACH_6(F, x, __VA_ARGS__)
#define DB_PP_EACH_8(F, x, a, ...) F(x, a) DB_PP_EACH_7(F, x, __VA_ARGS__)
#define DB_PP_EACH_9(F, x, a, ...) F(x, a) DB_PP_EACH_8(F, x, __VA_ARGS__)
#define DB_PP_EACH_10(F, x, a, ...) F(x, a) DB_PP_EACH_9(F, x, __VA_ARGS__)
#define DB_PP_EACH_11(F, x, a, ...) F(x, a) DB_PP_EACH_10(F, x, __VA_ARGS__)
#define DB_PP_EACH_12(F, x, a, ...) F(x, a) DB_PP_EACH_11(F, x, __VA_ARGS__)
#define DB_PP_EACH_13(F, x, a, ...) F(x, a) DB_PP_EACH_12(F, x, __VA_ARGS__)
#define DB_PP_EACH_14(F, x, a, ...) F(x, a) DB_PP_EACH_13(F, x, __VA_ARGS__)
#define DB_PP_EACH_15(F, x, a, ...) F(x, a) DB_PP_EACH_14(F, x, __VA_ARGS__)
#define DB_PP_EACH_16(F, x, a, ...) F(x, a) DB_PP_EACH_15(F, x, __VA_ARGS__)
#define DB_PP_EACH_17(F, x, a, ...) F(x, a) DB_PP_EACH_16(F, x, __VA_ARGS__)
#define DB_PP_EACH_18(F, x, a, ...) F(x, a) DB_PP_EACH_17(F, x, __VA_ARGS__)
#define DB_PP_EACH_19(F, x, a, ...) F(x, a) DB_PP_EACH_18(F, x, __VA_ARGS__)
#define DB_PP_EACH_20(F, x, a, ...) F(x, a) DB_PP_EACH_19(F, x, __VA_ARGS__)
#define DB_PP_EACH_21(F, x, a, ...) F(x, a) DB_PP_EACH_20(F, x, __VA_ARGS__)
#define DB_PP_EACH_22(F, x, a, ...) F(x, a) DB_PP_EACH_21(F, x, __VA_ARGS__)
#define DB_PP_EACH_23(F, x, a, ...) F(x, a) DB_PP_EACH_22(F, x, __VA_ARGS__)
#define DB_PP_EACH_24(F, x, a, ...) F(x, a) DB_PP_EACH_23(F, x, __VA_ARGS__)
#define DB_PP_EACH_25(F, x, a, ...) F(x, a) DB_PP_EACH_24(F, x, __VA_ARGS__)
#define DB_PP_EACH_26(F, x, a, ...) F(x, a) DB_PP_EACH_25(F, x, __VA_ARGS__)
#define DB_PP_EACH_27(F, x, a, ...) F(x, a) DB_PP_EACH_26(F, x, __VA_ARGS__)
#define DB_PP_EACH_28(F, x, a, ...) F(x, a) DB_PP_EACH_27(F, x, __VA_ARGS__)
#define DB_PP_EACH_29(F, x, a, ...) F(x, a) DB_PP_EACH_28(F, x, __VA_ARGS__)
#define DB_PP_EACH_30(F, x, a, ...) F(x, a) DB_PP_EACH_29(F, x, __VA_ARGS__)
#define DB_PP_EACH_31(F, x, a, ...) F(x, a) DB_PP_EACH_30(F, x, __VA_ARGS__)
#define DB_PP_EACH_32(F, x, a, ...) F(x, a) DB_PP_EACH_31(F, x, __VA_ARGS__)

#endif
