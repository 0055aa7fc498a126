/*
 * test_params.c - the parameter table, value checking, suggestions and the
 * hand-kept history.
 *
 * The value cases are measurements: each {value, accepted, canon} row was
 * run through `testparm -sv` 4.17.12 ("accepted" = no "Error loading
 * services"; canon = what testparm printed back).
 */
#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "param_ids.h"
#include "params.h"
#include "util.h"

struct vcase {
	const char *value;
	bool ok;
	const char *canon;   /* NULL when !ok */
};

/* Checks every row for one parameter; reports the first mismatch. */
static void check_cases(const char *name, const struct vcase *c, size_t n)
{
	const struct param *p = param_lookup(name);
	ck_assert_msg(p != NULL, "unknown parameter %s", name);
	for (size_t i = 0; i < n; i++) {
		char *canon = (char *)"untouched";
		bool ok = param_check_value(p, c[i].value, &canon);
		ck_assert_msg(ok == c[i].ok, "%s = [%s]: expected %s", name, c[i].value,
		    c[i].ok ? "accepted" : "refused");
		if (ok) {
			ck_assert_msg(canon != NULL && strcmp(canon, c[i].canon) == 0,
			    "%s = [%s]: canon [%s], testparm prints [%s]", name, c[i].value,
			    canon ? canon : "(null)", c[i].canon);
			free(canon);
		} else {
			ck_assert_msg(canon == NULL, "%s = [%s]: canon set on failure", name, c[i].value);
		}
		/* canon may be NULL. */
		ck_assert(param_check_value(p, c[i].value, NULL) == c[i].ok);
	}
}

#define CHECK_CASES(name, arr) check_cases(name, arr, sizeof arr / sizeof arr[0])

/* ---------------------------------------------------------------- table */

START_TEST(test_table_sorted_and_unique)
{
	ck_assert_uint_gt(param_count, 400);
	for (size_t i = 0; i < param_count; i++) {
		const struct param *p = &param_table[i];
		ck_assert_ptr_eq(param_lookup(param_name(p)), p);
		ck_assert_uint_eq(param_index(p), i);
		if (i > 0) {
			char *a = fold_key(param_name(&param_table[i - 1])), *b = fold_key(param_name(p));
			ck_assert_msg(strcmp(a, b) < 0, "%s / %s out of order", a, b);
			free(a);
			free(b);
		}
		if (p->flags & PF_SYNONYM) {
			ck_assert_int_ge(p->synonym_of, 0);
			ck_assert_int_lt(p->synonym_of, (int)param_count);
			ck_assert_int_lt(param_table[p->synonym_of].synonym_of, 0);
			ck_assert_ptr_null(param_def(p));
		} else {
			ck_assert_int_eq(p->synonym_of, -1);
		}
		ck_assert((p->type == PT_ENUM) == (param_enums(p) != NULL));
		ck_assert((p->type == PT_BOOLREV) == ((p->flags & PF_INVERSE) != 0));
		/* Every default testparm printed is accepted and prints back unchanged. */
		if (param_def(p)) {
			char *canon = NULL;
			ck_assert_msg(param_check_value(p, param_def(p), &canon), "default of %s", param_name(p));
			ck_assert_msg(strcmp(canon, param_def(p)) == 0, "default of %s: [%s] -> [%s]",
			    param_name(p), param_def(p), canon);
			free(canon);
		}
	}
}
END_TEST

START_TEST(test_version)
{
	ck_assert_str_eq(param_samba_version, "4.17.12-Debian");
	ck_assert_uint_eq(param_table_version(), 41712);
	ck_assert_uint_eq(samba_ver_parse("4.17.12-Debian"), 41712);
	ck_assert_uint_eq(samba_ver_parse("4.11"), 41100);
	ck_assert_uint_eq(samba_ver_parse("4.17"), 41700);
	ck_assert_uint_eq(samba_ver_parse("4.9.0"), 40900);
	ck_assert_uint_eq(samba_ver_parse("4.17.4"), 41704);
	ck_assert_uint_eq(samba_ver_parse("4.18.0rc1"), 41800);
	ck_assert_uint_eq(samba_ver_parse("3.6.25"), 30625);
	ck_assert_uint_eq(samba_ver_parse(" 4.5.16"), 40516);
	ck_assert_uint_eq(samba_ver_parse("garbage"), 0);
	ck_assert_uint_eq(samba_ver_parse(""), 0);
	ck_assert_uint_eq(samba_ver_parse(NULL), 0);
	ck_assert_uint_eq(samba_ver_parse("4"), 0);
	ck_assert_uint_eq(samba_ver_parse("4."), 0);
	ck_assert_uint_eq(samba_ver_parse("4.17."), 0);
	ck_assert_uint_eq(samba_ver_parse("4.x"), 0);
	ck_assert_uint_eq(samba_ver_parse("4.100"), 0);
	ck_assert_uint_eq(samba_ver_parse("4.17.12.1"), 0);
	ck_assert_uint_eq(samba_ver_parse("v4.17"), 0);
	ck_assert(samba_ver_parse("4.9") < samba_ver_parse("4.10"));
}
END_TEST

/* --------------------------------------------------------------- lookup */

START_TEST(test_lookup_variants)
{
	const struct param *p = param_lookup("map to guest");
	ck_assert_ptr_nonnull(p);
	ck_assert_str_eq(param_name(p), "map to guest");
	ck_assert_int_eq(p->type, PT_ENUM);
	ck_assert_int_eq(p->scope, PS_GLOBAL);
	ck_assert_ptr_eq(param_lookup("MapToGuest"), p);
	ck_assert_ptr_eq(param_lookup("map  to guest"), p);
	ck_assert_ptr_eq(param_lookup("MAP TO GUEST"), p);
	ck_assert_ptr_eq(param_lookup("\tmap\tto guest "), p);
	ck_assert_ptr_eq(param_lookup("m a p t o g u e s t"), p);
	ck_assert_ptr_null(param_lookup("map to guests"));
	ck_assert_ptr_null(param_lookup("map to gues"));
	ck_assert_ptr_null(param_lookup(""));
	ck_assert_ptr_null(param_lookup("   "));
	ck_assert_ptr_null(param_lookup(NULL));
	ck_assert_ptr_null(param_lookup("use spnego"));
	ck_assert_ptr_null(param_lookup("map to guest\xc3\xa9"));

	/* Mixed-case canonical names keep their spelling. */
	ck_assert_str_eq(param_name(param_lookup("client ntlmv2 auth")), "client NTLMv2 auth");
	/* Parametric names are not in the table. */
	ck_assert_ptr_null(param_lookup("idmap config * : backend"));

	const struct param *ro = param_lookup("read only");
	ck_assert_ptr_eq(param_get("read only"), ro);
	ck_assert_int_eq(ro->scope, PS_SHARE);
	ck_assert_int_eq(ro->type, PT_BOOL);
	ck_assert_str_eq(param_def(ro), "Yes");
	ck_assert_ptr_eq(param_canonical(ro), ro);
	ck_assert_ptr_eq(&param_table[param_index(ro)], ro);
}
END_TEST

START_TEST(test_synonyms)
{
	const struct param *pub = param_lookup("Public");
	ck_assert_ptr_nonnull(pub);
	ck_assert(pub->flags & PF_SYNONYM);
	ck_assert(!(pub->flags & PF_INVERSE));
	ck_assert_str_eq(param_name(param_canonical(pub)), "guest ok");

	static const char *const inverse[] = { "writeable", "writable", "write ok" };
	for (size_t i = 0; i < 3; i++) {
		const struct param *w = param_lookup(inverse[i]);
		ck_assert_ptr_nonnull(w);
		ck_assert_int_eq(w->type, PT_BOOLREV);
		ck_assert(w->flags & PF_SYNONYM);
		ck_assert(w->flags & PF_INVERSE);
		ck_assert_ptr_eq(param_canonical(w), param_get("read only"));
	}
	ck_assert_ptr_eq(param_lookup("Write Able"), param_lookup("writeable"));
	const struct param *es = param_lookup("enable spoolss");
	ck_assert(es->flags & PF_INVERSE);
	ck_assert_str_eq(param_name(param_canonical(es)), "disable spoolss");

	ck_assert_str_eq(param_name(param_canonical(param_lookup("min protocol"))), "server min protocol");
	ck_assert_str_eq(param_name(param_canonical(param_lookup("protocol"))), "server max protocol");
	ck_assert_str_eq(param_name(param_canonical(param_lookup("unix extensions"))), "smb1 unix extensions");
	ck_assert_str_eq(param_name(param_canonical(param_lookup("create mode"))), "create mask");
	ck_assert_str_eq(param_name(param_canonical(param_lookup("root dir"))), "root directory");
	ck_assert_str_eq(param_name(param_canonical(param_lookup("smb encrypt"))), "server smb encrypt");
	/* A synonym of an enum carries the enum spellings too. */
	ck_assert_ptr_nonnull(param_enums(param_lookup("casesignames")));

	ck_assert(param_lookup("lanman auth")->flags & PF_DEPRECATED);
	ck_assert(!(param_lookup("guest ok")->flags & PF_DEPRECATED));
}
END_TEST

/* Runs param_get in a child and reports whether it aborted. */
static bool get_aborts(const char *name)
{
	fflush(NULL);
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		if (!freopen("/dev/null", "w", stderr))
			_exit(3);
		param_get(name);
		_exit(0);
	}
	int st = 0;
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	return WIFSIGNALED(st) && WTERMSIG(st) == SIGABRT;
}

START_TEST(test_param_get_aborts)
{
	ck_assert(!get_aborts("guest ok"));
	ck_assert(!get_aborts("client NTLMv2 auth"));
	ck_assert(get_aborts("no such parameter"));
	ck_assert(get_aborts("public"));      /* a synonym is not canonical */
	ck_assert(get_aborts(""));
}
END_TEST

/* ---------------------------------------------------------------- enums */

START_TEST(test_map_to_guest)
{
	const struct param *p = param_get("map to guest");
	static const struct { const char *spelling, *canon; } t[] = {
		{ "Never", "Never" }, { "never", "Never" }, { "NEVER", "Never" },
		{ "Bad User", "Bad User" }, { "bad user", "Bad User" }, { "baduser", "Bad User" },
		{ "badUSER", "Bad User" }, { "  Bad   User ", "Bad User" },
		{ "Bad Password", "Bad Password" }, { "BADPASSWORD", "Bad Password" },
		{ "Bad Uid", "Bad Uid" }, { "bad uid", "Bad Uid" }, { "B a d U i d", "Bad Uid" },
	};
	int seen[4] = { -1, -1, -1, -1 };
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		int v = -1;
		char *canon = NULL;
		ck_assert_msg(param_enum_value(p, t[i].spelling, &v), "%s", t[i].spelling);
		ck_assert(param_check_value(p, t[i].spelling, &canon));
		ck_assert_str_eq(canon, t[i].canon);
		free(canon);
		int k = strcmp(t[i].canon, "Never") == 0 ? 0 : strcmp(t[i].canon, "Bad User") == 0 ? 1 :
		    strcmp(t[i].canon, "Bad Password") == 0 ? 2 : 3;
		if (seen[k] == -1)
			seen[k] = v;
		ck_assert_int_eq(seen[k], v);
	}
	/* Four different values. */
	for (int a = 0; a < 4; a++)
		for (int b = a + 1; b < 4; b++)
			ck_assert_int_ne(seen[a], seen[b]);
	/* Refused by testparm ("Ignoring invalid value"). */
	static const char *const bad[] = { "bad_user", "", "Bad Users", "badusr", "yes", "0" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		int v;
		ck_assert_msg(!param_enum_value(p, bad[i], &v), "%s", bad[i]);
		ck_assert(!param_check_value(p, bad[i], NULL));
	}
	/* The enum list is exactly Samba's. */
	size_t n = 0;
	for (const struct param_enum *e = param_enums(p); e->name; e++)
		n++;
	ck_assert_uint_eq(n, 4);
	ck_assert_str_eq(param_def(p), "Never");
	int v;
	ck_assert(!param_enum_value(param_get("guest ok"), "yes", &v));   /* not an enum */
}
END_TEST

START_TEST(test_enum_values)
{
	static const struct vcase security[] = {
		{ "user", true, "USER" }, { "ADS", true, "ADS" }, { "auto", true, "AUTO" },
		{ "Domain", true, "DOMAIN" },
		{ "share", false, NULL }, { "server", false, NULL }, { "", false, NULL },
	};
	static const struct vcase min_protocol[] = {
		{ "SMB2", true, "SMB2" }, { "SMB2_10", true, "SMB2" }, { "smb3_11", true, "SMB3" },
		{ "SMB3_00", true, "SMB3_00" }, { "NT1", true, "NT1" }, { "CORE+", true, "COREPLUS" },
		{ "default", true, "default" },
		{ "SMB2_22", false, NULL }, { "SMB2_24", false, NULL }, { "SMB3_10", false, NULL },
	};
	static const struct vcase ntlm_auth[] = {
		{ "no", true, "ntlmv2-only" }, { "0", true, "ntlmv2-only" }, { "yes", true, "ntlmv1-permitted" },
		{ "NTLMv2-Only", true, "ntlmv2-only" }, { "disabled", true, "disabled" },
		{ "on", false, NULL },
	};
	static const struct vcase signing[] = {
		{ "Yes", true, "if_required" }, { "auto", true, "if_required" }, { "mandatory", true, "required" },
		{ "off", true, "No" }, { "disabled", true, "No" }, { "desired", true, "desired" },
	};
	static const struct vcase kerberos_method[] = {
		{ "secrets only", true, "default" }, { "secretsonly", true, "default" },
		{ "system keytab", true, "system keytab" }, { "SystemKeytab", true, "system keytab" },
	};
	CHECK_CASES("security", security);
	CHECK_CASES("server min protocol", min_protocol);
	CHECK_CASES("min protocol", min_protocol);
	CHECK_CASES("client ipc max protocol", min_protocol);
	CHECK_CASES("ntlm auth", ntlm_auth);
	CHECK_CASES("server signing", signing);
	CHECK_CASES("kerberos method", kerberos_method);

	int a, b;
	const struct param *cs = param_get("case sensitive");
	ck_assert(param_enum_value(cs, "False", &a) && param_enum_value(cs, "0", &b));
	ck_assert_int_eq(a, b);
	ck_assert(param_enum_value(cs, "Auto", &b));
	ck_assert_int_ne(a, b);
}
END_TEST

/* -------------------------------------------------------------- booleans */

START_TEST(test_bool_parsing)
{
	static const char *const yes[] = { "yes", "YES", "Yes", "true", "True", "on", "ON", "1",
		" yes ", "y e s", "o n", "\tTRUE" };
	static const char *const no[] = { "no", "No", "false", "FALSE", "off", "Off", "0", "o f f", " 0 " };
	static const char *const bad[] = { "", "Y", "T", "N", "maybe", "2", "yes please", "enabled",
		"-1", "00", "yess", NULL };
	bool b;
	for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
		b = false;
		ck_assert_msg(param_parse_bool(yes[i], &b) && b, "%s", yes[i]);
	}
	for (size_t i = 0; i < sizeof no / sizeof no[0]; i++) {
		b = true;
		ck_assert_msg(param_parse_bool(no[i], &b) && !b, "%s", no[i]);
	}
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		ck_assert_msg(!param_parse_bool(bad[i], &b), "%s", bad[i] ? bad[i] : "NULL");

	static const struct vcase guest_ok[] = {
		{ "yes", true, "Yes" }, { "ON ", true, "Yes" }, { "o n", true, "Yes" }, { "0", true, "No" },
		{ "", false, NULL }, { "maybe", false, NULL }, { "Y", false, NULL }, { "T", false, NULL },
	};
	/* Inverse synonyms give the target's value (read only), inverted. */
	static const struct vcase writeable[] = {
		{ "yes", true, "No" }, { "off", true, "Yes" }, { "0", true, "Yes" }, { "maybe", false, NULL },
	};
	static const struct vcase enable_spoolss[] = {
		{ "yes", true, "No" }, { "no", true, "Yes" },
	};
	CHECK_CASES("guest ok", guest_ok);
	CHECK_CASES("public", guest_ok);
	CHECK_CASES("writeable", writeable);
	CHECK_CASES("write ok", writeable);
	CHECK_CASES("enable spoolss", enable_spoolss);
}
END_TEST

/* --------------------------------------------------------------- numbers */

START_TEST(test_octal)
{
	/* sscanf("%o"): at least one octal digit after an optional sign. */
	static const struct vcase t[] = {
		{ "0755", true, "0755" }, { "755", true, "0755" }, { " 0755", true, "0755" },
		{ "0755 ", true, "0755" }, { "0755 # x", true, "0755" }, { "0755abc", true, "0755" },
		{ "0755,0644", true, "0755" }, { "+0755", true, "0755" }, { "0000755", true, "0755" },
		{ "0", true, "0000" }, { "00", true, "0000" }, { "-0", true, "0000" },
		{ "0x1ff", true, "0000" }, { "0o755", true, "0000" }, { "0999", true, "0000" },
		{ "1e", true, "0001" }, { "07777", true, "07777" }, { "077777", true, "077777" },
		{ "-1", true, "-1" }, { "-2", true, "037777777776" }, { "-0755", true, "037777777023" },
		{ "037777777777", true, "-1" }, { "040000000000", true, "0000" },
		{ "040000000755", true, "0755" }, { "1777777777777777777777", true, "-1" },
		{ "2000000000000000000000", true, "-1" },
		{ "8", false, NULL }, { "9", false, NULL }, { "abc", false, NULL }, { "", false, NULL },
		{ " ", false, NULL }, { "- 1", false, NULL }, { "--1", false, NULL }, { "+", false, NULL },
		{ "-", false, NULL }, { "+ 7", false, NULL }, { "8 7", false, NULL }, { "a7", false, NULL },
	};
	CHECK_CASES("create mask", t);
	CHECK_CASES("create mode", t);
	CHECK_CASES("force directory mode", t);
}
END_TEST

START_TEST(test_integer)
{
	/* strtol(s, 0, 0) into a 64-bit long, then int: never an error. */
	static const struct vcase t[] = {
		{ "100", true, "100" }, { "abc", true, "0" }, { "", true, "-1" }, { " 12", true, "12" },
		{ "12abc", true, "12" }, { "-5", true, "-5" }, { "0x10", true, "16" }, { "0X1F", true, "31" },
		{ "010", true, "8" }, { "08", true, "0" }, { "0x", true, "0" }, { "-0x10", true, "-16" },
		{ "+7", true, "7" }, { "-", true, "0" }, { "1e3", true, "1" }, { "1 000", true, "1" },
		{ "12 # c", true, "12" }, { "0b101", true, "0" }, { "\xd9\xa1\xd9\xa2", true, "0" },
		{ "99999999999", true, "1215752191" }, { "-99999999999", true, "-1215752191" },
		{ "2147483648", true, "-2147483648" }, { "4294967297", true, "1" },
		{ "0xffffffff", true, "-1" },
		{ "99999999999999999999", true, "-1" }, { "-99999999999999999999", true, "0" },
	};
	CHECK_CASES("max connections", t);
	CHECK_CASES("deadtime", t);

	/* The value shown for "smb2 max credits" below 1 is the default. */
	static const struct vcase credits[] = {
		{ "-5", true, "8192" }, { "0", true, "8192" }, { "abc", true, "8192" }, { "1", true, "1" },
		{ "100000", true, "100000" }, { "8193", true, "8193" },
	};
	CHECK_CASES("smb2 max credits", credits);

	/* A handler reads encryption types: names or numbers, ORed. */
	static const struct vcase enctypes[] = {
		{ "0", true, "0" }, { "24", true, "24" }, { "0x18", true, "24" }, { "", true, "0" },
		{ ",", true, "0" }, { "010", true, "10" }, { "+5", true, "5" },
		{ "aes256-cts", true, "16" }, { "AES256-CTS", true, "16" }, { "Rc4-Hmac", true, "4" },
		{ "arcfour-hmac-md5", true, "4" }, { "aes128-cts-hmac-sha1-96", true, "8" },
		{ "rc4-hmac aes256-cts", true, "20" }, { "rc4-hmac, aes256-cts", true, "20" },
		{ "4 16", true, "20" }, { "0x4 0x10", true, "20" }, { "4 rc4-hmac", true, "4" },
		{ "4\t8", true, "12" }, { "4,8", true, "12" }, { "0x+5", true, "5" },
		{ "4294967295", true, "-1" }, { "4294967296", true, "0" }, { "0xFFFFFFFF", true, "-1" },
		{ "0x100000000", true, "0" }, { "12345678901", true, "-539222987" },
		{ "24abc", false, NULL }, { "des-cbc-crc", false, NULL }, { "aes128", false, NULL },
		{ "0x", false, NULL }, { "0x1G", false, NULL }, { "0xg", false, NULL }, { "-1", false, NULL },
		{ "-0", false, NULL }, { "+", false, NULL }, { "+0x10", false, NULL }, { "0X10", false, NULL },
		{ "0x-5", false, NULL }, { "1e", false, NULL }, { "4;8", false, NULL }, { ";", false, NULL },
		{ "\"4 8\"", false, NULL }, { "\"4\" 8", false, NULL }, { "\"\"", false, NULL },
		{ "99999999999999999999", false, NULL }, { "0xfffffffffffffffff", false, NULL },
	};
	CHECK_CASES("kdc supported enctypes", enctypes);
	CHECK_CASES("kdc default domain supported enctypes", enctypes);
}
END_TEST

START_TEST(test_bytes)
{
	static const struct vcase t[] = {
		{ "1M", true, "1048576" }, { "1m", true, "1048576" }, { "16k", true, "16384" },
		{ "16K", true, "16384" }, { "1G", true, "1073741824" }, { "1g", true, "1073741824" },
		{ "1 M", true, "1048576" }, { "1  M", true, "1048576" }, { "1\tM", true, "1048576" },
		{ " 16k", true, "16384" }, { "100", true, "100" }, { "010", true, "10" },
		{ "00010", true, "10" }, { "+4k", true, "4096" }, { "0", true, "0" }, { "1 ", true, "1" },
		{ "2147483647", true, "2147483647" }, { "2097151k", true, "2147482624" },
		{ "abc", false, NULL }, { "", false, NULL }, { "1T", false, NULL }, { "1P", false, NULL },
		{ "1.5M", false, NULL }, { "1.5", false, NULL }, { "1Mb", false, NULL },
		{ "1MB", false, NULL }, { "1KB", false, NULL }, { "1kb", false, NULL }, { "1B", false, NULL },
		{ "1b", false, NULL }, { "-1", false, NULL }, { "-0", false, NULL }, { "-4k", false, NULL },
		{ "-0k", false, NULL }, { "0x10", false, NULL }, { "16k # x", false, NULL },
		{ "12abc", false, NULL }, { "1e3", false, NULL }, { "M", false, NULL }, { "k", false, NULL },
		{ "K1", false, NULL }, { "1Kx", false, NULL }, { "1 2", false, NULL }, { "1k1", false, NULL },
		{ "1 k b", false, NULL }, { "1M M", false, NULL }, { "+", false, NULL },
		{ "99999999999", false, NULL }, { "2147483648", false, NULL }, { "2097152k", false, NULL },
		{ "2G", false, NULL }, { "4294967296", false, NULL },
		{ "18446744073709551615", false, NULL }, { "18446744073709551616", false, NULL },
	};
	CHECK_CASES("aio read size", t);
	CHECK_CASES("max log size", t);
	CHECK_CASES("smb2 max write", t);
}
END_TEST

START_TEST(test_char)
{
	static const struct vcase t[] = {
		{ "~", true, "~" }, { "ab", true, "a" }, { "", true, "" }, { "#", true, "#" },
		{ " x", true, "x" }, { "\\", true, "\\" }, { "%", true, "%" },
		{ "\xc3\xa9", true, "\xc3" },   /* Samba keeps one byte */
	};
	CHECK_CASES("mangling char", t);
}
END_TEST

/* --------------------------------------------------------------- strings */

START_TEST(test_strings)
{
	static const struct vcase comment[] = {
		{ "anything at all", true, "anything at all" }, { "", true, "" },
		{ "  padded  ", true, "padded" }, { "Aa b, c;d \"e f\"", true, "Aa b, c;d \"e f\"" },
		{ "%U", true, "%U" },
	};
	static const struct vcase upper[] = {
		{ "mygroup", true, "MYGROUP" }, { "", true, "" }, { "Aa b, c;d", true, "AA B, C;D" },
		/* Latin-1 upper-cased except sharp s; Greek and Cyrillic too. */
		{ "stra\xc3\x9f" "e \xc3\xa4", true, "STRA\xc3\x9f" "E \xc3\x84" },
		{ "\xc3\xbf\xd0\xb6\xcf\x89\xcf\x82\xc2\xb5\xc4\x81", true,
		  "\xc5\xb8\xd0\x96\xce\xa9\xce\xa3\xc2\xb5\xc4\x80" },
		/* Left alone by testparm too: dotless i, long s, U+0450, U+045D. */
		{ "\xc4\xb1\xc5\xbf\xd1\x90\xd1\x9d", true, "\xc4\xb1\xc5\xbf\xd1\x90\xd1\x9d" },
		/* l with stroke, z caron, ij, eng, final sigma, yo, short u. */
		{ "\xc5\x82\xc5\xbe\xc4\xb3\xc5\x8b\xcf\x82\xd1\x91\xd1\x9e", true,
		  "\xc5\x81\xc5\xbd\xc4\xb2\xc5\x8a\xce\xa3\xd0\x81\xd0\x8e" },
		/* Beyond them: Vietnamese (u horn, e circumflex dot below), Armenian, fullwidth, circled. */
		{ "ph\xc3\xb2ng \xc6\xb0u vi\xe1\xbb\x87t", true, "PH\xc3\x92NG \xc6\xafU VI\xe1\xbb\x86T" },
		{ "\xd5\xa1\xef\xbd\x81\xe2\x93\x90", true, "\xd4\xb1\xef\xbc\xa1\xe2\x92\xb6" },
		/* Text Samba cannot convert leaves the value empty; beyond U+10FFFF wraps to U+10000 on. */
		{ "x\xff", true, "" }, { "a\xc3", true, "" }, { "\xc0\x80", true, "" },
		{ "\xed\xa0\x80" "b", true, "" },
		{ "\xf4\x90\x80\x80" "b", true, "\xf0\x90\x80\x80" "B" },
		{ "\xf0\x9f\x98\x80" "b", true, "\xf0\x9f\x98\x80" "B" },
	};
	CHECK_CASES("comment", comment);
	CHECK_CASES("server string", comment);
	CHECK_CASES("workgroup", upper);
	CHECK_CASES("netbios name", upper);
	CHECK_CASES("netbios scope", upper);
	/* realm is a plain string that testparm shows upper-cased. */
	CHECK_CASES("realm", upper);

	/* A UTF-8 dos charset is refused: testparm shows the default (CP850) instead. */
	static const struct vcase dos_charset[] = {
		{ "utf8", true, "CP850" }, { "UTF-8", true, "CP850" }, { "Utf8", true, "CP850" },
		{ " utf-8 ", true, "CP850" }, { "utf_8", true, "utf_8" }, { "utf16", true, "utf16" },
		{ "UTF-8x", true, "UTF-8x" }, { "CP437", true, "CP437" },
	};
	CHECK_CASES("dos charset", dos_charset);

	static const struct vcase port_range[] = {
		{ "49152-65535", true, "49152-65535" }, { "1024-65535", true, "1024-65535" },
		{ "1024-1100", true, "1024-1100" }, { "49152-49152", true, "49152-49152" },
		{ "65535-65535", true, "65535-65535" }, { "49152 - 65535", true, "49152 - 65535" },
		{ "1024- 2000", true, "1024- 2000" }, { "1024 -2000", true, "1024 -2000" },
		{ "1024\t-\t2000", true, "1024\t-\t2000" }, { "1024-2000 x", true, "1024-2000 x" },
		{ "1024-2000x", true, "1024-2000x" }, { "1024-2000-3000", true, "1024-2000-3000" },
		{ "01024-65535", true, "01024-65535" }, { "+1024-65535", true, "+1024-65535" },
		{ "1024-+2000", true, "1024-+2000" },
		{ "1000-2000", false, NULL }, { "1023-65535", false, NULL }, { "1-2", false, NULL },
		{ "2000-1000", false, NULL }, { "1024-1023", false, NULL }, { "1024-65536", false, NULL },
		{ "1024", false, NULL }, { "1024-", false, NULL }, { "abc", false, NULL }, { "", false, NULL },
		{ "1024 2000", false, NULL }, { "1024-0x800", false, NULL }, { "0x400-2000", false, NULL },
		{ "-1024-2000", false, NULL }, { "1024--2000", false, NULL }, { "1024.5-2000", false, NULL },
		{ "99999999999-2000", false, NULL },
	};
	CHECK_CASES("rpc server dynamic port range", port_range);
}
END_TEST

START_TEST(test_lists)
{
	/* Command lists: split on blanks , ; outside quotes, printed space-separated. */
	static const struct vcase cmdlist[] = {
		{ "a b,c", true, "a b c" }, { "a,, b ;c\td", true, "a b c d" }, { "", true, "" },
		{ "\"a b\" c", true, "\"a b\" c" }, { "a\"b c\"d e", true, "\"ab cd\" e" },
		{ "\"\"", true, "" }, { "\"a b", true, "\"a b\"" }, { "@grp, +x", true, "@grp +x" },
		{ "\"a,b\" \"c;d\" \"e\tf\"", true, "a,b c;d e\tf" }, { "a \"\" b", true, "a  b" },
		{ "\" \"", true, "\" \"" }, { "a\"\" b", true, "a b" }, { "+x", true, "+x" },
	};
	CHECK_CASES("valid users", cmdlist);
	CHECK_CASES("hosts allow", cmdlist);
	CHECK_CASES("allow hosts", cmdlist);

	/* Plain lists print with ", "; an edit list (+x/-x) changes the default. */
	static const struct vcase dcerpc[] = {
		{ "a b,c", true, "a, b, c" }, { "a;b", true, "a, b" }, { "\"a b\",c", true, "\"a b\", c" },
		{ "a, +b", true, "a, +b" }, { "+ a", true, "+, a" }, { "- a", true, "-, a" },
		{ "+", true, "+" }, { "-", true, "-" }, { "\"\"", true, "" }, { "\"\",\"\"", true, ", " },
		{ "\"\" a", true, ", a" }, { "a \"\"", true, "a, " }, { "a \"\" b", true, "a, , b" },
		{ "a\"\" b", true, "a, b" },
		{ "", true, "epmapper, wkssvc, samr, netlogon, lsarpc, drsuapi, dssetup, unixinfo, browser, eventlog6, backupkey, dnsserver" },
		{ ",", true, "epmapper, wkssvc, samr, netlogon, lsarpc, drsuapi, dssetup, unixinfo, browser, eventlog6, backupkey, dnsserver" },
		{ "+x", true, "epmapper, wkssvc, samr, netlogon, lsarpc, drsuapi, dssetup, unixinfo, browser, eventlog6, backupkey, dnsserver, x" },
		{ "-samr", true, "epmapper, wkssvc, netlogon, lsarpc, drsuapi, dssetup, unixinfo, browser, eventlog6, backupkey, dnsserver" },
		{ "-nonexist", true, "epmapper, wkssvc, samr, netlogon, lsarpc, drsuapi, dssetup, unixinfo, browser, eventlog6, backupkey, dnsserver" },
		{ "-samr +samr", true, "epmapper, wkssvc, netlogon, lsarpc, drsuapi, dssetup, unixinfo, browser, eventlog6, backupkey, dnsserver, samr" },
		{ "+EPMAPPER", true, "epmapper, wkssvc, samr, netlogon, lsarpc, drsuapi, dssetup, unixinfo, browser, eventlog6, backupkey, dnsserver, EPMAPPER" },
		{ "-EPMAPPER", true, "epmapper, wkssvc, samr, netlogon, lsarpc, drsuapi, dssetup, unixinfo, browser, eventlog6, backupkey, dnsserver" },
		{ "+a +a", true, "epmapper, wkssvc, samr, netlogon, lsarpc, drsuapi, dssetup, unixinfo, browser, eventlog6, backupkey, dnsserver, a" },
		{ "+a -a", true, "epmapper, wkssvc, samr, netlogon, lsarpc, drsuapi, dssetup, unixinfo, browser, eventlog6, backupkey, dnsserver" },
		{ "+\"a b\"", true, "epmapper, wkssvc, samr, netlogon, lsarpc, drsuapi, dssetup, unixinfo, browser, eventlog6, backupkey, dnsserver, \"a b\"" },
		{ "\"+a\"", true, "epmapper, wkssvc, samr, netlogon, lsarpc, drsuapi, dssetup, unixinfo, browser, eventlog6, backupkey, dnsserver, a" },
		{ "+b, a", false, NULL }, { "+a, \"b\"", false, NULL }, { "+a -", false, NULL },
		{ "+a +", false, NULL }, { "-samr x", false, NULL }, { "+a \"\"", false, NULL },
	};
	CHECK_CASES("dcerpc endpoint servers", dcerpc);
	static const struct vcase services[] = {
		{ "+smb, -nbt", true, "s3fs, rpc, wrepl, ldap, cldap, kdc, drepl, winbindd, ntp_signd, kcc, dnsupdate, dns, smb" },
		{ "+s3fs", true, "s3fs, rpc, nbt, wrepl, ldap, cldap, kdc, drepl, winbindd, ntp_signd, kcc, dnsupdate, dns" },
		{ "a b", true, "a, b" },
	};
	CHECK_CASES("server services", services);

	static const struct vcase ports[] = {
		{ "445", true, "445" }, { "445,139", true, "445 139" }, { "445 , 139", true, "445 139" },
		{ "445;139", true, "445 139" }, { "65535", true, "65535" }, { "1", true, "1" },
		{ "+445", true, "+445" }, { "0445", true, "0445" }, { "0499", true, "0499" },
		{ "445 445", true, "445 445" }, { ",", true, "" }, { ";", true, "" },
		{ "445;", true, "445" },
		{ "", false, NULL }, { "0", false, NULL }, { "65536", false, NULL }, { "445x", false, NULL },
		{ "0x1bd", false, NULL }, { "445 abc", false, NULL }, { "-1", false, NULL },
		{ "\"445 139\"", false, NULL }, { "99999999999", false, NULL }, { "\"\"", false, NULL },
		{ "445 \"\"", false, NULL }, { "\" \"", false, NULL },
	};
	CHECK_CASES("smb ports", ports);

	static const struct vcase resolve[] = {
		{ "lmhosts", true, "lmhosts" }, { "wins, bcast", true, "wins bcast" },
		{ "lmhosts;wins", true, "lmhosts wins" }, { "host,", true, "host" },
		{ "lmhosts wins host bcast", true, "lmhosts wins host bcast" },
		{ "", false, NULL }, { ",", false, NULL }, { ";", false, NULL }, { "\"\"", false, NULL },
		{ "host foo", false, NULL }, { "HOST", false, NULL },
	};
	CHECK_CASES("name resolve order", resolve);
}
END_TEST

/* The loader applies a P_LIST line to the list in force where it stands, not to the default. */
START_TEST(test_list_apply)
{
	static const struct {
		const char *cur, *value;
		bool ok;
		const char *canon;
	} cases[] = {
		/* no elements: the list stays (none stays none) */
		{ "a, b", "", true, "a, b" }, { "a, b", " , ;", true, "a, b" }, { NULL, "", true, "" },
		{ NULL, ",", true, "" },
		/* edits of the list in force */
		{ "a, b", "+c", true, "a, b, c" }, { "a, b", "-a", true, "b" }, { "a", "-a", true, "" },
		{ "a, b", "+a, -b, +c", true, "a, c" }, { "a", "-x", true, "a" }, { "", "+x", true, "x" },
		/* a plain first element replaces the list, the rest as written */
		{ "a, b", "c, +d", true, "c, +d" }, { "a", "+", true, "+" },
		/* no list yet: every value as written */
		{ NULL, "+a, b", true, "+a, b" }, { NULL, "-a", true, "-a" },
		/* after an edit, only edits */
		{ "a", "+b, c", false, NULL }, { "a", "-a, +", false, NULL }, { "", "+x, y", false, NULL },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *canon = (char *)"unset";
		bool ok = param_list_apply(cases[i].cur, cases[i].value, &canon);
		ck_assert_msg(ok == cases[i].ok, "'%s' on '%s': %d", cases[i].value,
		    cases[i].cur ? cases[i].cur : "(none)", ok);
		if (cases[i].ok)
			ck_assert_str_eq(canon, cases[i].canon);
		else
			ck_assert_ptr_null(canon);
		free(canon);
	}
	ck_assert(param_list_apply("a", "+b", NULL));
}
END_TEST

/* ----------------------------------------------------------- suggestions */

static size_t suggest(const char *name, const char **first)
{
	const struct param *out[5];
	size_t n = param_suggest(name, out, 5);
	*first = n ? param_name(out[0]) : NULL;
	/* Best first, and each suggestion listed once. */
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			ck_assert_ptr_ne(out[i], out[j]);
	return n;
}

START_TEST(test_suggest)
{
	const char *first;
	ck_assert_uint_ge(suggest("guest on", &first), 1);
	ck_assert_str_eq(first, "guest ok");
	ck_assert_uint_ge(suggest("create amask", &first), 1);
	ck_assert_str_eq(first, "create mask");
	ck_assert_uint_ge(suggest("force create mask", &first), 1);
	ck_assert_str_eq(first, "force create mode");
	ck_assert_uint_ge(suggest("force directory mask", &first), 1);
	ck_assert_str_eq(first, "force directory mode");
	ck_assert_uint_ge(suggest("wrkgroup", &first), 1);
	ck_assert_str_eq(first, "workgroup");
	ck_assert_uint_ge(suggest("Netbois Name", &first), 1);     /* transposition */
	ck_assert_str_eq(first, "netbios name");
	ck_assert_uint_ge(suggest("vfs objets", &first), 1);
	ck_assert_str_eq(first, "vfs objects");
	ck_assert_uint_ge(suggest("hosts alow", &first), 1);
	ck_assert_str_eq(first, "hosts allow");

	/* Nothing close. */
	ck_assert_uint_eq(suggest("completely unrelated words", &first), 0);
	ck_assert_uint_eq(suggest("", &first), 0);
	ck_assert_uint_eq(suggest("zq", &first), 0);
	/* Short names allow one edit only: "pat" is one from "path", "pa" is two. */
	ck_assert_uint_ge(suggest("pat", &first), 1);
	ck_assert_str_eq(first, "path");
	ck_assert_uint_eq(suggest("pa", &first), 0);
	/* The internal "-valid" is never offered. */
	const struct param *out[10];
	size_t n = param_suggest("valid", out, 10);
	for (size_t i = 0; i < n; i++)
		ck_assert_str_ne(param_name(out[i]), "-valid");

	/*
	 * A canonical name beats an equally close synonym: "browseble" is one
	 * edit from both, and the synonym "browsable" comes first in the table.
	 */
	n = param_suggest("browseble", out, 10);
	ck_assert_uint_ge(n, 2);
	ck_assert_str_eq(param_name(out[0]), "browseable");
	ck_assert_str_eq(param_name(out[1]), "browsable");
	ck_assert_uint_lt(param_index(out[1]), param_index(out[0]));
	/* ... unless the synonym is strictly closer. */
	n = param_suggest("browsabl", out, 10);
	ck_assert_uint_ge(n, 1);
	ck_assert_str_eq(param_name(out[0]), "browsable");
	n = param_suggest("writeabl", out, 10);
	ck_assert_uint_ge(n, 1);
	ck_assert_str_eq(param_name(out[0]), "writeable");

	/* The limit n is honoured. */
	ck_assert_uint_eq(param_suggest("guest on", out, 1), 1);
	ck_assert_uint_eq(param_suggest("guest on", out, 0), 0);
	/* A known synonym is its own best match (the caller need not suggest). */
	ck_assert_uint_ge(param_suggest("writable", out, 3), 1);
	ck_assert_str_eq(param_name(out[0]), "writable");
}
END_TEST

/* --------------------------------------------------------------- history */

START_TEST(test_history_lookups)
{
	samba_ver now = param_table_version();
	const struct param *sec = param_get("security");
	const struct removed_value *r = param_removed_value(sec, "share", now);
	ck_assert_ptr_nonnull(r);
	ck_assert_uint_eq(r->since, 40000);
	ck_assert_ptr_nonnull(strstr(r->note, "security = user"));
	ck_assert_ptr_nonnull(param_removed_value(sec, "SHARE", 40000));
	ck_assert_ptr_nonnull(param_removed_value(sec, "Server", now));
	ck_assert_ptr_null(param_removed_value(sec, "share", 30600));
	ck_assert_ptr_null(param_removed_value(sec, "user", now));
	ck_assert_ptr_null(param_removed_value(sec, NULL, now));

	/* Through a synonym, and per version. */
	const struct param *minp = param_lookup("min protocol");
	ck_assert_ptr_nonnull(param_removed_value(minp, "SMB2_22", 41500));
	ck_assert_ptr_nonnull(param_removed_value(minp, "smb3_10", now));
	ck_assert_ptr_null(param_removed_value(minp, "SMB2_22", 41400));
	ck_assert_ptr_null(param_removed_value(minp, "SMB2_02", now));
	ck_assert_ptr_nonnull(param_removed_value(param_get("client max protocol"), "SMB2_24", now));
	ck_assert_ptr_null(param_removed_value(param_get("guest ok"), "share", now));

	const struct param_history *h = param_history_find("use spnego");
	ck_assert_ptr_nonnull(h);
	ck_assert_uint_eq(h->removed, 40800);
	ck_assert_ptr_eq(param_history_find("UseSpnego"), h);
	ck_assert_ptr_null(param_history_find("guest ok"));
	ck_assert_ptr_null(param_history_find(NULL));
	h = param_history_find("lanman auth");
	ck_assert_ptr_nonnull(h);
	ck_assert_uint_eq(h->deprecated, 41100);
	ck_assert_uint_eq(h->removed, 0);
	ck_assert_ptr_nonnull(param_history_find("acl check permissions"));
	ck_assert_ptr_nonnull(param_history_find("enable privileges"));
	/* Longer than any name: no entry, and no overflow. */
	char longname[400];
	memset(longname, 'x', sizeof longname - 1);
	longname[sizeof longname - 1] = '\0';
	ck_assert_ptr_null(param_history_find(longname));

	/* The indexed look-ups answer as a plain search of the tables would. */
	for (size_t i = 0; i < param_count; i++) {
		const struct param *p = &param_table[i];
		const struct param_history *want = NULL;
		for (const struct param_history *e = param_history; e->param != NULL && want == NULL; e++)
			if (fold_eq(e->param, param_name(p)))
				want = e;
		ck_assert_ptr_eq(param_history_find(param_name(p)), want);
		ck_assert_ptr_eq(param_history_of(p), want);
	}
	for (const struct param_history *e = param_history; e->param != NULL; e++) {
		const struct param_history *first = e;
		for (const struct param_history *f = param_history; f < e; f++)
			if (fold_eq(f->param, e->param)) {
				first = f;
				break;
			}
		ck_assert_ptr_eq(param_history_find(e->param), first);
	}
}
END_TEST

START_TEST(test_suggest_dist)
{
	const struct param *out[4];
	size_t dist[4];
	size_t n = param_suggest_dist("guest on", out, dist, 4);
	ck_assert_uint_ge(n, 2);
	ck_assert_str_eq(param_name(out[0]), "guest ok");
	ck_assert_uint_eq(dist[0], 1);
	ck_assert_uint_gt(dist[1], dist[0]);
	/* "mask"/"mode" swapped counts as one edit. */
	n = param_suggest_dist("force create mask", out, dist, 4);
	ck_assert_uint_ge(n, 1);
	ck_assert_str_eq(param_name(out[0]), "force create mode");
	ck_assert_uint_eq(dist[0], 1);
	/* Asked again (remembered): the same answer. */
	const struct param *again[4];
	size_t dist2[4];
	ck_assert_uint_eq(param_suggest_dist("Force Create  Mask", again, dist2, 4), n);
	for (size_t i = 0; i < n; i++) {
		ck_assert_ptr_eq(again[i], out[i]);
		ck_assert_uint_eq(dist2[i], dist[i]);
	}
	ck_assert_uint_eq(param_suggest_dist("guest on", out, NULL, 1), 1);
}
END_TEST

START_TEST(test_default_for)
{
	const struct param *smin = param_get("server min protocol");
	ck_assert_str_eq(param_default_for(smin, 41000), "LANMAN1");
	ck_assert_str_eq(param_default_for(smin, 41099), "LANMAN1");
	ck_assert_str_eq(param_default_for(smin, 41100), "SMB2_02");
	ck_assert_str_eq(param_default_for(smin, 41712), "SMB2_02");
	ck_assert_str_eq(param_default_for(smin, 0), "SMB2_02");   /* unknown version: today's */
	ck_assert_str_eq(param_default_for(param_lookup("min protocol"), 40900), "LANMAN1");
	ck_assert_str_eq(param_default_for(param_get("client min protocol"), 41000), "CORE");
	ck_assert_str_eq(param_default_for(param_get("ntlm auth"), 40400), "ntlmv1-permitted");
	ck_assert_str_eq(param_default_for(param_get("ntlm auth"), 40500), "ntlmv2-only");
	ck_assert_str_eq(param_default_for(param_get("server schannel"), 40700), "Auto");
	ck_assert_str_eq(param_default_for(param_get("server schannel"), 40800), "Yes");
	ck_assert_str_eq(param_default_for(param_get("reject md5 clients"), 41703), "No");
	ck_assert_str_eq(param_default_for(param_get("reject md5 clients"), 41704), "Yes");
	ck_assert_str_eq(param_default_for(param_get("guest ok"), 40000), "No");
	/* Inverse synonyms read their target's default inverted. */
	ck_assert_str_eq(param_default_for(param_lookup("writeable"), 41700), "No");
	ck_assert_str_eq(param_default_for(param_lookup("enable spoolss"), 41700), "Yes");
	/* Host-dependent defaults are not recorded. */
	ck_assert_ptr_null(param_default_for(param_get("netbios name"), 41700));
	ck_assert_str_eq(param_default_for(param_get("workgroup"), 41700), "WORKGROUP");
}
END_TEST

/* The hand-kept tables agree with the generated one. */
/*
 * src/params_ix.c is generated from the tables (make params-ix): each chain
 * must list exactly the entries a plain search finds, in table order.
 */
static void check_chain(const char *what, const int16_t *first, const int16_t *next, size_t n,
    const char *(*name_of)(size_t))
{
	for (size_t i = 0; i < param_count; i++) {
		const struct param *p = &param_table[i];
		int at = first[i];
		for (size_t k = 0; k < n; k++) {
			const struct param *q = param_lookup(name_of(k));
			if (q == NULL || param_canonical(q) != p)
				continue;
			ck_assert_msg(at == (int)k, "%s: %s entry %zu missing from the index (run make params-ix)",
			    what, param_name(p), k);
			at = next[k];
		}
		ck_assert_msg(at == -1, "%s: %s has extra entries (run make params-ix)", what, param_name(p));
	}
}

static const char *dc_param(size_t k)
{
	return default_changes[k].param;
}

static const char *rv_param(size_t k)
{
	return removed_values[k].param;
}

START_TEST(test_params_ix_current)
{
	ck_assert_msg(param_ix_count == param_count, "params_ix.c is for %zu entries, the table has %zu "
	    "(run make params-ix)", param_ix_count, param_count);
	size_t ndc = 0, nrv = 0;
	while (default_changes[ndc].param != NULL)
		ndc++;
	while (removed_values[nrv].param != NULL)
		nrv++;
	check_chain("default_changes", param_dc_first, param_dc_next, ndc, dc_param);
	check_chain("removed_values", param_rv_first, param_rv_next, nrv, rv_param);
	for (size_t i = 0; i < param_count; i++) {
		const struct param *p = &param_table[i];
		bool want = false;
		for (size_t k = 0; k < nrv && !want; k++)
			want = fold_eq(removed_values[k].param, param_name(param_canonical(p)));
		ck_assert_int_eq(param_has_removed_values(p), want);
	}
}
END_TEST

/* include/param_ids.h, generated with the table: every constant names its entry. */
START_TEST(test_param_ids)
{
	size_t n = 0, canonical = 0;
#define CHECK_ID(id, ix, name)                                                       \
	do {                                                                             \
		const struct param *p = param_lookup(name);                              \
		ck_assert_msg(p == &param_table[ix] && (size_t)(id) == (ix) &&           \
		    strcmp(param_name(p), name) == 0, "%s is not entry %d (rerun scripts/gen-params.py)", name, ix); \
		n++;                                                                     \
	} while (0);
	PARAM_IDS(CHECK_ID)
#undef CHECK_ID
	for (size_t i = 0; i < param_count; i++)
		if (param_table[i].synonym_of < 0)
			canonical++;
	ck_assert_uint_eq(n, canonical);
}
END_TEST

START_TEST(test_history_consistent)
{
	samba_ver now = param_table_version();
	for (const struct removed_value *r = removed_values; r->param; r++) {
		const struct param *p = param_lookup(r->param);
		ck_assert_msg(p && p->synonym_of < 0, "%s is not canonical", r->param);
		ck_assert_ptr_nonnull(r->note);
		if (r->since <= now)
			ck_assert_msg(!param_check_value(p, r->value, NULL),
			    "%s = %s is still accepted", r->param, r->value);
	}
	for (const struct param_history *h = param_history; h->param; h++) {
		const struct param *p = param_lookup(h->param);
		ck_assert_ptr_nonnull(h->note);
		ck_assert_ptr_eq(param_history_find(h->param), h);
		if (h->removed && h->removed <= now)
			ck_assert_msg(p == NULL, "%s was removed but is known", h->param);
		else
			ck_assert_msg(p != NULL, "%s is not known", h->param);
		if (h->removed && h->deprecated)
			ck_assert_uint_lt(h->deprecated, h->removed);
	}
	samba_ver prev_since = 0;
	const char *prev = "";
	for (const struct default_change *d = default_changes; d->param; d++) {
		const struct param *p = param_lookup(d->param);
		ck_assert_msg(p && p->synonym_of < 0, "%s is not canonical", d->param);
		/* Both spelt as testparm 4.17 prints them, so they compare with canon values. */
		ck_assert_msg(param_def(p) && strcmp(param_def(p), d->new_default) == 0,
		    "%s: new default %s, testparm prints %s", d->param, d->new_default, param_def(p));
		char *canon = NULL;
		ck_assert_msg(param_check_value(p, d->old_default, &canon) &&
		    strcmp(canon, d->old_default) == 0, "%s = %s", d->param, d->old_default);
		free(canon);
		ck_assert_uint_le(d->since, now);
		/* Sorted by name, then version. */
		int c = strcmp(prev, d->param);
		ck_assert(c < 0 || (c == 0 && prev_since < d->since));
		prev = d->param;
		prev_since = d->since;
	}
}
END_TEST

Suite *params_suite(void);

Suite *params_suite(void)
{
	Suite *s = suite_create("params");
	TCase *tc = tcase_create("table");
	tcase_add_test(tc, test_table_sorted_and_unique);
	tcase_add_test(tc, test_version);
	tcase_add_test(tc, test_lookup_variants);
	tcase_add_test(tc, test_synonyms);
	tcase_add_test(tc, test_param_get_aborts);
	suite_add_tcase(s, tc);

	tc = tcase_create("values");
	tcase_add_test(tc, test_map_to_guest);
	tcase_add_test(tc, test_enum_values);
	tcase_add_test(tc, test_bool_parsing);
	tcase_add_test(tc, test_octal);
	tcase_add_test(tc, test_integer);
	tcase_add_test(tc, test_bytes);
	tcase_add_test(tc, test_char);
	tcase_add_test(tc, test_strings);
	tcase_add_test(tc, test_lists);
	tcase_add_test(tc, test_list_apply);
	suite_add_tcase(s, tc);

	tc = tcase_create("suggest");
	tcase_add_test(tc, test_suggest);
	tcase_add_test(tc, test_suggest_dist);
	suite_add_tcase(s, tc);

	tc = tcase_create("history");
	tcase_add_test(tc, test_history_lookups);
	tcase_add_test(tc, test_default_for);
	tcase_add_test(tc, test_history_consistent);
	tcase_add_test(tc, test_params_ix_current);
	tcase_add_test(tc, test_param_ids);
	suite_add_tcase(s, tc);
	return s;
}
