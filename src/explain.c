/* explain.c - the rule table for people: --explain, --list-rules and the smblint-rules(7) page. */
#include <stdlib.h>
#include <string.h>

#include "output.h"

/* Date of the generated manual page; change it when the rules change. */
#define MAN_DATE "November 27, 2026"
#define WRAP 76

static const char *fix_word(enum fix_safety f)
{
	return f == FIX_SAFE ? "safe" : f == FIX_UNSAFE ? "unsafe" : "none";
}

/* Prints one line of text word-wrapped at WRAP columns with an indent. */
static void wrap_line(FILE *out, const char *p, size_t len, int indent)
{
	size_t col = 0;

	fprintf(out, "%*s", indent, "");
	while (len > 0) {
		size_t w = 0;
		while (w < len && p[w] == ' ')
			w++;
		p += w;
		len -= w;
		for (w = 0; w < len && p[w] != ' ';)
			w++;
		if (w == 0)
			break;
		if (col > 0 && col + 1 + w > (size_t)(WRAP - indent)) {
			fprintf(out, "\n%*s", indent, "");
			col = 0;
		}
		fprintf(out, "%s%.*s", col > 0 ? " " : "", (int)w, p);
		col += (col > 0) + w;
		p += w;
		len -= w;
	}
	putc('\n', out);
}

/*
 * Calls fn for each line of text, made safe for a terminal first (the rule
 * table is ours, but the same path prints anything).
 */
static void each_line(FILE *out, const char *text, int indent,
    void (*fn)(FILE *, const char *, size_t, int))
{
	for (const char *p = text; *p;) {
		size_t n = strcspn(p, "\n");
		struct sbuf b = {0};
		out_safe(&b, p, n);
		fn(out, sbuf_str(&b), b.len, indent);
		sbuf_free(&b);
		p += n + (p[n] == '\n');
	}
}

static void wrap(FILE *out, const char *text, int indent)
{
	each_line(out, text, indent, wrap_line);
}

static void verbatim_line(FILE *out, const char *p, size_t n, int indent)
{
	fprintf(out, "%*s%.*s\n", n ? indent : 0, "", (int)n, p);
}

static void verbatim(FILE *out, const char *text, int indent)
{
	each_line(out, text, indent, verbatim_line);
}

int explain_rule(FILE *out, const char *code_or_name)
{
	const struct rule *r = rule_find(code_or_name);

	if (r == NULL)
		return -1;
	fprintf(out, "%s %s\n", r->code, r->name);
	fprintf(out, "  severity: %s, fix: %s\n\n", severity_name(r->severity), fix_word(r->fix));
	wrap(out, r->summary, 2);
	fputs("\nWhat it finds\n", out);
	wrap(out, r->what, 2);
	fputs("\nWhy it matters\n", out);
	wrap(out, r->why, 2);
	fputs("\nHow to fix it\n", out);
	wrap(out, r->fix_text, 2);
	if (r->workaround != NULL) {
		fputs("\nClient-side workaround\n", out);
		wrap(out, r->workaround, 2);
	}
	if (r->example != NULL) {
		fputs("\nExample\n", out);
		verbatim(out, r->example, 4);
	}
	return 0;
}

static void list_json(FILE *out)
{
	struct json j;
	json_init(&j, out, true);
	json_arr(&j);
	for (size_t i = 0; i < rule_count; i++) {
		const struct rule *r = rule_table[i];
		json_obj(&j);
		json_kstr(&j, "code", r->code);
		json_kstr(&j, "name", r->name);
		json_kstr(&j, "severity", severity_name(r->severity));
		json_kstr(&j, "fix", fix_word(r->fix));
		json_kstr(&j, "summary", r->summary);
		json_kstr(&j, "what", r->what);
		json_kstr(&j, "why", r->why);
		json_kstr(&j, "fix_text", r->fix_text);
		json_kstr(&j, "workaround", r->workaround);
		json_kstr(&j, "example", r->example);
		json_end_obj(&j);
	}
	json_end_arr(&j);
	json_done(&j);
}

void explain_list(FILE *out, enum out_format fmt)
{
	int w = 4;

	if (fmt == FMT_JSON || fmt == FMT_SARIF) {
		list_json(out);
		return;
	}
	for (size_t i = 0; i < rule_count; i++)
		if ((int)strlen(rule_table[i]->name) > w)
			w = (int)strlen(rule_table[i]->name);
	fprintf(out, "%-7s %-*s %-8s %-7s %s\n", "CODE", w, "NAME", "SEVERITY", "FIX", "SUMMARY");
	for (size_t i = 0; i < rule_count; i++) {
		const struct rule *r = rule_table[i];
		fprintf(out, "%-7s %-*s %-8s %-7s %s\n", r->code, w, r->name,
		    severity_name(r->severity), fix_word(r->fix), r->summary);
	}
}

/* ---- smblint-rules(7) ------------------------------------------------- */

static size_t word_len(const char *s, size_t n)
{
	size_t k = 0;
	while (k < n && s[k] != ' ' && s[k] != '\t')
		k++;
	return k;
}

/*
 * One roff text line: backslashes escaped, a leading dot or quote made
 * literal, non-ASCII characters written as \[uXXXX] so the page is plain
 * ASCII, and each sentence on a line of its own (mandoc's style).
 */
static void roff_text(FILE *out, const char *s, size_t n)
{
	bool bol = true;
	size_t col = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (bol && (c == ' ' || c == '\t'))
			continue;
		if (bol && (c == '.' || c == '\''))
			fputs("\\&", out);
		bol = false;
		col++;
		if (c == '\\') {
			fputs("\\e", out);
		} else if ((c == ' ' || c == '\t') && i > 0 && strchr(".?!", s[i - 1]) && i + 1 < n &&
		    s[i + 1] >= 'A' && s[i + 1] <= 'Z') {
			putc('\n', out);   /* a new sentence starts a new line */
			bol = true;
			col = 0;
		} else if ((c == ' ' || c == '\t') && i + 1 < n && col + word_len(s + i + 1, n - i - 1) > 72) {
			putc('\n', out);   /* keep source lines short */
			bol = true;
			col = 0;
		} else if (c == '\t') {
			putc(' ', out);
		} else if (c < 0x80) {
			putc(c, out);
		} else {
			unsigned cp = 0;
			int extra = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : c >= 0xc0 ? 1 : 0;
			cp = extra ? c & (0x3f >> extra) : '?';
			for (int k = 0; k < extra && i + 1 < n; k++)
				cp = (cp << 6) | ((unsigned char)s[++i] & 0x3f);
			fprintf(out, "\\[u%04X]", cp);
		}
	}
	putc('\n', out);
}

/* A paragraph per line of the text (blank lines would be roff warnings). */
static void roff_paras(FILE *out, const char *text)
{
	bool first = true;
	for (const char *p = text; *p;) {
		size_t n = strcspn(p, "\n");
		if (n > 0) {
			if (!first)
				fputs(".Pp\n", out);
			roff_text(out, p, n);
			first = false;
		}
		p += n + (p[n] == '\n');
	}
}

static void roff_literal(FILE *out, const char *text)
{
	fputs(".Bd -literal -offset indent\n", out);
	for (const char *p = text; *p;) {
		size_t n = strcspn(p, "\n");
		struct sbuf b = {0};
		for (size_t i = 0; i < n; i++) {
			if (i == 0 && (p[0] == '.' || p[0] == '\''))
				sbuf_adds(&b, "\\&");
			if (p[i] == '\\')
				sbuf_adds(&b, "\\e");
			else if (p[i] == '\t')
				sbuf_adds(&b, "        ");
			else
				sbuf_addc(&b, p[i]);
		}
		while (b.len > 0 && b.s[b.len - 1] == ' ')
			b.len--;
		fprintf(out, "%.*s\n", (int)b.len, sbuf_str(&b));
		sbuf_free(&b);
		p += n + (p[n] == '\n');
	}
	fputs(".Ed\n", out);
}

static void man_rule(FILE *out, const struct rule *r)
{
	fprintf(out, ".Ss %s %s\n", r->code, r->name);
	roff_text(out, r->summary, strlen(r->summary));
	fprintf(out, ".Pp\nDefault severity:\n.Sy %s ;\nfix:\n.Sy %s .\n", severity_name(r->severity), fix_word(r->fix));
	fputs(".Bl -tag -width Ds\n.It What it finds\n", out);
	roff_paras(out, r->what);
	fputs(".It Why it matters\n", out);
	roff_paras(out, r->why);
	fputs(".It How to fix it\n", out);
	roff_paras(out, r->fix_text);
	if (r->workaround != NULL) {
		fputs(".It Client-side workaround\n", out);
		roff_paras(out, r->workaround);
	}
	if (r->example != NULL) {
		fputs(".It Example\n", out);
		roff_literal(out, r->example);
	}
	fputs(".El\n", out);
}

static const struct {
	char digit;
	const char *title;
	const char *text;
} families[] = {
	{'1', "Loading and syntax (SL1xxx)",
	    "What Samba refuses, or silently ignores, while it reads the file."},
	{'2', "Windows and client compatibility (SL2xxx)",
	    "Settings that keep the targeted clients (see --client in smblint(1)) from using a share."},
	{'3', "Security (SL3xxx)",
	    "Settings that weaken authentication, signing or encryption."},
	{'4', "The running server (SL4xxx)",
	    "With --probe only: where the running smbd does not do what the file says, "
	    "or a targeted client cannot reach a share."},
	{'9', "smblint itself (SL9xxx)",
	    "Suppression comments that do nothing."},
};

void explain_man(FILE *out)
{
	fputs(".\\\" Generated by smblint --man-rules from the rule table; do not edit.\n", out);
	fprintf(out, ".Dd %s\n.Dt SMBLINT-RULES 7\n.Os\n", MAN_DATE);
	fputs(".Sh NAME\n.Nm smblint-rules\n.Nd the checks smblint runs on smb.conf\n"
	    ".Sh DESCRIPTION\n"
	    "Every rule has a code and a name; both are stable and either can be used with\n"
	    ".Fl -explain ,\n.Fl -disable ,\n.Fl -enable ,\n"
	    "the settings file and suppression comments.\n"
	    "The first digit of the code is the family.\n"
	    "A fix marked\n.Sy safe\nis applied by\n.Fl -fix ;\n"
	    "one marked\n.Sy unsafe\nchanges what clients can do and needs\n.Fl -unsafe-fixes .\n", out);
	for (size_t f = 0; f < sizeof families / sizeof families[0]; f++) {
		bool any = false;
		for (size_t i = 0; i < rule_count; i++)
			any |= rule_table[i]->code[2] == families[f].digit;
		if (!any)
			continue;
		fprintf(out, ".Sh %s\n", families[f].title);
		roff_text(out, families[f].text, strlen(families[f].text));
		for (size_t i = 0; i < rule_count; i++)
			if (rule_table[i]->code[2] == families[f].digit)
				man_rule(out, rule_table[i]);
	}
	fputs(".Sh SEE ALSO\n.Xr smblint 1 ,\n.Xr testparm 1 ,\n.Xr smb.conf 5\n", out);
}
