/*
 * The soak's fixtures (issue 11): a unit and N persons created through the
 * API (JXJY_FAULT_ADDR, JXJY_FAULT_TOKEN: a city bureau's token); prints the
 * persons' ids on one line, separated by commas, for tests/fault/soak.lua.
 *   fault_fixtures N
 */
#include <stdio.h>
#include <stdlib.h>

#include "fault.h"

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 0;
	if (n < 1 || n > 1000) {
		fprintf(stderr, "usage: fault_fixtures N (1–1000 persons)\n");
		return 2;
	}
	char unit[40], (*persons)[40] = calloc((size_t)n, sizeof *persons);
	if (!fault_fixtures(fault_env("JXJY_FAULT_ADDR"), fault_env("JXJY_FAULT_TOKEN"), unit, persons, n))
		return 1;
	for (int i = 0; i < n; i++)
		printf("%s%s", i ? "," : "", persons[i]);
	printf("\n");
	free(persons);
	return 0;
}
