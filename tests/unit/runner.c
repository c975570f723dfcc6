/* The one runner of the unit tests: every suite of suites.def, in one
 * program (CK_RUN_SUITE=name runs one, as Check allows). */
#include "fixtures.h"

#include <signal.h>
#include <stdlib.h>

int main(void)
{
	/* Extraction children may close their input early. */
	signal(SIGPIPE, SIG_IGN);
	SRunner *sr = NULL;
#define VG_SUITE(name)                                   \
	if (!sr)                                         \
		sr = srunner_create(vg_suite_##name());  \
	else                                             \
		srunner_add_suite(sr, vg_suite_##name());
#include "suites.def"
#undef VG_SUITE
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
