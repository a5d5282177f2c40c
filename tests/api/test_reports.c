/* reports: HTTP tests */
#include <criterion/criterion.h>

#include "testlib.h"
