/* out_sarif.c - SARIF 2.1.0 for code-scanning services: rule metadata, results, fixes. */
#include <stdlib.h>
#include <string.h>

#include "output.h"

#define SARIF_SCHEMA "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

static const char *sarif_level(enum severity s)
{
	return s == SEV_ERROR ? "error" : s == SEV_WARNING ? "warning" : "note";
}

/* A path as a URI reference: absolute paths become file:// URIs, the rest stays relative. */
static void path_uri(struct sbuf *b, const char *path)
{
	static const char hex[] = "0123456789ABCDEF";

	b->len = 0;
	sbuf_add(b, "", 0);
	if (path[0] == '/')
		sbuf_adds(b, "file://");
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    strchr("-._~/", *p) != NULL) {
			sbuf_addc(b, (char)*p);
		} else {
			char esc[3] = {'%', hex[*p >> 4], hex[*p & 15]};
			sbuf_add(b, esc, 3);
		}
	}
}

/* The writer, and the URI of the last file named (findings come file by file). */
struct sarif_out {
	struct json j;
	bool have_uri;
	const struct srcfile *uri_of;
	struct sbuf uri;
};

/* The member KEY (a literal, see JSON_KEY) holding {"text": text}. */
#define text_obj(j, KEY, text) text_obj_q((j), "\"" KEY "\": ", sizeof(KEY) + 3, (text))

static void text_obj_q(struct json *j, const char *quoted, size_t n, const char *text)
{
	json_key_lit(j, quoted, n);
	json_obj(j);
	JSON_KSTR(j, "text", text);
	json_end_obj(j);
}

static char *rule_help(const struct rule *r)
{
	struct sbuf b = {0};
	sbuf_adds(&b, r->what);
	sbuf_addf(&b, "\n\nWhy: %s\n\nFix: %s", r->why, r->fix_text);
	if (r->workaround != NULL)
		sbuf_addf(&b, "\n\nClient-side workaround: %s", r->workaround);
	if (r->example != NULL)
		sbuf_addf(&b, "\n\nExample:\n%s", r->example);
	return sbuf_take(&b);
}

static void sarif_rules(struct json *j)
{
	JSON_KEY(j, "rules");
	json_arr(j);
	for (size_t i = 0; i < rule_count; i++) {
		const struct rule *r = rule_table[i];
		char *help = rule_help(r);
		json_obj(j);
		JSON_KSTR(j, "id", r->code);
		JSON_KSTR(j, "name", r->name);
		text_obj(j, "shortDescription", r->summary);
		text_obj(j, "fullDescription", r->what);
		text_obj(j, "help", help);
		JSON_KEY(j, "defaultConfiguration");
		json_obj(j);
		JSON_KSTR(j, "level", sarif_level(r->severity));
		json_end_obj(j);
		JSON_KEY(j, "properties");
		json_obj(j);
		JSON_KSTR(j, "fixSafety", r->fix == FIX_SAFE ? "safe" : r->fix == FIX_UNSAFE ? "unsafe" : "none");
		json_end_obj(j);
		json_end_obj(j);
		free(help);
	}
	json_end_arr(j);
}

static void artifact(struct sarif_out *so, const struct srcfile *f)
{
	struct json *j = &so->j;

	if (!so->have_uri || so->uri_of != f) {
		path_uri(&so->uri, f != NULL ? f->display : "-");
		so->uri_of = f;
		so->have_uri = true;
	}
	JSON_KEY(j, "artifactLocation");
	json_obj(j);
	JSON_KEY(j, "uri");
	json_strn(j, so->uri.s, so->uri.len);
	json_end_obj(j);
}

/* The member KEY (a literal, see JSON_KEY) holding a region of f. */
#define region(j, KEY, f, start, end) region_q((j), "\"" KEY "\": ", sizeof(KEY) + 3, (f), (start), (end))

static void region_q(struct json *j, const char *quoted, size_t n, struct srcfile *f, size_t start, size_t end)
{
	unsigned l, c = out_char_col(f, start, &l);
	json_key_lit(j, quoted, n);
	json_obj(j);
	JSON_KINT(j, "startLine", l);
	JSON_KINT(j, "startColumn", c);
	if (end != (size_t)-1) {
		c = out_char_col(f, end, &l);
		JSON_KINT(j, "endLine", l);
		JSON_KINT(j, "endColumn", c);
	}
	json_end_obj(j);
}

static void sarif_fix(struct sarif_out *so, const struct finding *f)
{
	struct json *j = &so->j;

	JSON_KEY(j, "fixes");
	json_arr(j);
	json_obj(j);
	text_obj(j, "description", f->rule->fix == FIX_SAFE ? "safe fix (smblint --fix)" :
	    "unsafe fix: may change behaviour (smblint --fix --unsafe-fixes)");
	JSON_KEY(j, "artifactChanges");
	json_arr(j);
	/* One artifactChange per edit keeps edits to included files apart. */
	for (size_t i = 0; i < f->nedits; i++) {
		const struct edit *e = &f->edits[i];
		if (e->file == NULL)
			continue;
		json_obj(j);
		artifact(so, e->file);
		JSON_KEY(j, "replacements");
		json_arr(j);
		json_obj(j);
		region(j, "deletedRegion", e->file, e->start, e->end);
		JSON_KEY(j, "insertedContent");
		json_obj(j);
		JSON_KSTR(j, "text", e->text);
		json_end_obj(j);
		json_end_obj(j);
		json_end_arr(j);
		json_end_obj(j);
	}
	json_end_arr(j);
	json_end_obj(j);
	json_end_arr(j);
}

static void sarif_result(struct sarif_out *so, const struct finding *f)
{
	struct json *j = &so->j;
	size_t idx = f->rule != NULL ? rule_index(f->rule) : rule_count;

	json_obj(j);
	JSON_KSTR(j, "ruleId", f->rule != NULL ? f->rule->code : "SL0000");
	if (idx < rule_count)
		JSON_KINT(j, "ruleIndex", (long long)idx);
	JSON_KSTR(j, "level", sarif_level(f->severity));
	JSON_KEY(j, "message");
	json_obj(j);
	JSON_KEY(j, "text");
	if (f->note != NULL)
		json_str3(j, f->message, "\n", f->note);
	else
		json_str(j, f->message);
	json_end_obj(j);
	JSON_KEY(j, "locations");
	json_arr(j);
	json_obj(j);
	JSON_KEY(j, "physicalLocation");
	json_obj(j);
	artifact(so, f->file);
	if (f->file != NULL && f->line > 0)
		region(j, "region", f->file, f->off, (size_t)-1);
	json_end_obj(j);
	json_end_obj(j);
	json_end_arr(j);
	if (f->nedits > 0 && f->rule != NULL && f->rule->fix != FIX_NONE)
		sarif_fix(so, f);
	if (f->section != NULL || f->parameter != NULL) {
		JSON_KEY(j, "properties");
		json_obj(j);
		if (f->section != NULL)
			JSON_KSTR(j, "section", f->section);
		if (f->parameter != NULL)
			JSON_KSTR(j, "parameter", f->parameter);
		json_end_obj(j);
	}
	json_end_obj(j);
}

void out_sarif(const struct report *r, const struct out_opts *o)
{
	struct sarif_out *so = xmalloc(sizeof *so);
	struct json *j = &so->j;

	so->have_uri = false;
	so->uri_of = NULL;
	so->uri = (struct sbuf){0};
	json_init(j, o->out, true);
	json_obj(j);
	JSON_KSTR(j, "$schema", SARIF_SCHEMA);
	JSON_KSTR(j, "version", "2.1.0");
	JSON_KEY(j, "runs");
	json_arr(j);
	json_obj(j);
	JSON_KEY(j, "tool");
	json_obj(j);
	JSON_KEY(j, "driver");
	json_obj(j);
	JSON_KSTR(j, "name", "smblint");
	JSON_KSTR(j, "version", SMBLINT_VERSION);
	JSON_KSTR(j, "informationUri", SMBLINT_URL);
	sarif_rules(j);
	json_end_obj(j);
	json_end_obj(j);
	JSON_KSTR(j, "columnKind", "unicodeCodePoints");
	JSON_KEY(j, "results");
	json_arr(j);
	for (size_t i = 0; i < r->nlints; i++)
		for (size_t k = 0; k < r->lints[i]->n; k++)
			if (out_shown(o, &r->lints[i]->findings[k]))
				sarif_result(so, &r->lints[i]->findings[k]);
	json_end_arr(j);
	json_end_obj(j);
	json_end_arr(j);
	json_end_obj(j);
	json_done(j);
	sbuf_free(&so->uri);
	free(so);
}
