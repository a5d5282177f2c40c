#include "procs.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* state and ppid of /proc/<pid>/stat; false when it cannot be read */
static bool stat_of(const char *pid, char *state, long *ppid)
{
	char path[300], buf[512];
	snprintf(path, sizeof path, "/proc/%s/stat", pid);
	FILE *f = fopen(path, "r");
	if (!f)
		return false;
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	/* pid (comm) state ppid …: comm may hold blanks and parentheses */
	const char *close = strrchr(buf, ')');
	return close && sscanf(close + 1, " %c %ld", state, ppid) == 2;
}

static int pid_cmp(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;
	return (x > y) - (x < y);
}

int t_proc_children(long parent, long *out, int cap)
{
	int n = 0;
	DIR *d = opendir("/proc");
	struct dirent *e;
	while (d && (e = readdir(d)) && n < cap) {
		char state;
		long ppid;
		if (e->d_name[0] >= '1' && e->d_name[0] <= '9' && stat_of(e->d_name, &state, &ppid) &&
		    ppid == parent)
			out[n++] = atol(e->d_name);
	}
	if (d)
		closedir(d);
	qsort(out, (size_t)n, sizeof *out, pid_cmp);
	return n;
}

bool t_proc_alive(long pid)
{
	char name[24], state;
	long ppid;
	snprintf(name, sizeof name, "%ld", pid);
	return stat_of(name, &state, &ppid) && state != 'Z' && state != 'X';
}
