/* main.c - runs every Check suite of the unit tests. */
#include <check.h>
#include <stdlib.h>

Suite *tree_suite(void);
Suite *params_suite(void) __attribute__((weak));
Suite *config_suite(void) __attribute__((weak));
Suite *lint_suite(void) __attribute__((weak));
Suite *rules_suite(void) __attribute__((weak));
Suite *fix_suite(void) __attribute__((weak));

int main(void)
{
	SRunner *sr = srunner_create(tree_suite());
	Suite *(*more[])(void) = { params_suite, config_suite, lint_suite, rules_suite, fix_suite };

	for (size_t i = 0; i < sizeof more / sizeof more[0]; i++)
		if (more[i])
			srunner_add_suite(sr, more[i]());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
