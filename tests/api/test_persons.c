/* persons: HTTP tests of this resource */
#include <criterion/criterion.h>

#include "testlib.h"
