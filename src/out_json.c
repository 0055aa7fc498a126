/* out_json.c - the report as one JSON object: findings, then matrix and other sections, then a summary. */
#include <stdlib.h>
#include <string.h>

#include "output.h"

static const char *fix_name(enum fix_safety f)
{
	return f == FIX_SAFE ? "safe" : f == FIX_UNSAFE ? "unsafe" : "none";
}

static void json_edits(struct json *j, const struct finding *f)
{
	json_key(j, "edits");
	json_arr(j);
	for (size_t i = 0; i < f->nedits; i++) {
		const struct edit *e = &f->edits[i];
		unsigned l, c;
		json_obj(j);
		json_kstr(j, "file", e->file != NULL ? e->file->display : NULL);
		json_kint(j, "start", (long long)e->start);
		json_kint(j, "end", (long long)e->end);
		if (e->file != NULL) {
			src_pos(e->file, e->start, &l, &c);
			json_kint(j, "line", l);
			json_kint(j, "column", c);
			src_pos(e->file, e->end, &l, &c);
			json_kint(j, "end_line", l);
			json_kint(j, "end_column", c);
		}
		json_kstr(j, "text", e->text);
		json_end_obj(j);
	}
	json_end_arr(j);
}

static void json_finding(struct json *j, const struct finding *f)
{
	json_obj(j);
	json_kstr(j, "file", finding_path(f));
	json_kint(j, "line", f->line);
	json_kint(j, "column", f->col);
	json_kstr(j, "severity", severity_name(f->severity));
	json_kstr(j, "rule", f->rule != NULL ? f->rule->code : NULL);
	json_kstr(j, "name", f->rule != NULL ? f->rule->name : NULL);
	json_kstr(j, "section", f->section);
	json_kstr(j, "parameter", f->parameter);
	json_kstr(j, "spelled", f->spelled);
	json_kstr(j, "message", f->message);
	json_kstr(j, "note", f->note);
	json_kbool(j, "fixable", finding_fixable(f));
	json_kstr(j, "fix_safety", f->nedits > 0 && f->rule != NULL ? fix_name(f->rule->fix) : NULL);
	if (f->nedits > 0)
		json_edits(j, f);
	json_end_obj(j);
}

static void json_matrix(struct json *j, const struct report *r)
{
	json_key(j, "matrix");
	json_arr(j);
	for (size_t i = 0; i < r->nmatrices; i++) {
		const struct matrix *m = &r->matrices[i];
		const char *file = m->cfg->nfiles ? m->cfg->files[0]->display : NULL;
		for (size_t k = 0; k < m->nshares * m->nprofiles; k++) {
			const struct matrix_cell *c = &m->cells[k];
			json_obj(j);
			json_kstr(j, "file", file);
			json_kstr(j, "share", c->share->name);
			json_kstr(j, "client", c->profile->name);
			json_kstr(j, "label", c->profile->label);
			json_kbool(j, "ok", c->verdict.ok);
			json_kbool(j, "guest_only", c->verdict.guest_only);
			json_kstr(j, "reason", c->verdict.reason);
			json_kstr(j, "windows_error", c->verdict.windows_error);
			json_key(j, "cause");
			if (c->verdict.cause != NULL && c->verdict.cause->file != NULL) {
				json_obj(j);
				json_kstr(j, "file", c->verdict.cause->file->display);
				json_kint(j, "line", c->verdict.cause->node->line);
				json_kstr(j, "parameter", c->verdict.cause->name);
				json_end_obj(j);
			} else {
				json_null(j);
			}
			json_end_obj(j);
		}
	}
	json_end_arr(j);
}

void out_json_probe_fields(struct json *j, const struct probe_result *p)
{
	json_kstr(j, "share", p->share);
	json_kstr(j, "client", p->profile);
	json_kbool(j, "connected", p->connected);
	json_kstr(j, "dialect", p->dialect[0] ? p->dialect : NULL);
	json_kbool(j, "guest", p->guest);
	json_kbool(j, "signed", p->signed_);
	json_kbool(j, "encrypted", p->encrypted);
	json_kint(j, "ntstatus", p->ntstatus);
	json_kstr(j, "status", p->status_name);
	json_kstr(j, "windows_error", p->windows_error);
	json_kstr(j, "note", p->note);
}

static void json_probe(struct json *j, const struct report *r)
{
	json_key(j, "probe");
	json_arr(j);
	for (size_t i = 0; i < r->nprobe; i++) {
		const struct probe_result *p = &r->probe[i];
		json_obj(j);
		json_kstr(j, "target", r->probe_target);
		out_json_probe_fields(j, p);
		json_end_obj(j);
	}
	json_end_arr(j);
}

static void json_summary(struct json *j, const struct report *r, const struct out_opts *o)
{
	struct summary s;
	out_summary(r, o, &s);
	json_key(j, "summary");
	json_obj(j);
	json_kint(j, "errors", (long long)s.count[SEV_ERROR]);
	json_kint(j, "warnings", (long long)s.count[SEV_WARNING]);
	json_kint(j, "infos", (long long)s.count[SEV_INFO]);
	json_kint(j, "fixable", (long long)s.fixable);
	json_kint(j, "unsafe_fixable", (long long)s.unsafe_fixable);
	json_kint(j, "suppressed", (long long)s.suppressed);
	json_kint(j, "files", (long long)s.files);
	json_end_obj(j);
}

void out_json(const struct report *r, const struct out_opts *o)
{
	struct json j;
	char *ver = samba_ver_str(r->samba);

	json_init(&j, o->out, true);
	json_obj(&j);
	json_kstr(&j, "tool", "smblint");
	json_kstr(&j, "version", SMBLINT_VERSION);
	json_kstr(&j, "samba_version", ver);
	json_key(&j, "clients");
	json_arr(&j);
	for (size_t i = 0; i < client_profile_count; i++)
		if (client_profiles[i].bit & r->clients)
			json_str(&j, client_profiles[i].name);
	json_end_arr(&j);
	json_key(&j, "files");
	json_arr(&j);
	for (size_t i = 0; i < r->nlints; i++)
		json_str(&j, r->lints[i]->cfg != NULL && r->lints[i]->cfg->nfiles ?
		    r->lints[i]->cfg->files[0]->display : NULL);
	json_end_arr(&j);
	json_key(&j, "findings");
	json_arr(&j);
	for (size_t i = 0; i < r->nlints; i++)
		for (size_t k = 0; k < r->lints[i]->n; k++)
			if (out_shown(o, &r->lints[i]->findings[k]))
				json_finding(&j, &r->lints[i]->findings[k]);
	json_end_arr(&j);
	if (r->nmatrices > 0 && !o->quiet)
		json_matrix(&j, r);
	if (r->probe != NULL && !o->quiet)
		json_probe(&j, r);
	for (size_t i = 0; i < r->nextras; i++)
		if (r->extras[i].json != NULL) {
			json_key(&j, r->extras[i].key);
			r->extras[i].json(&j, r->extras[i].ctx);
		}
	json_summary(&j, r, o);
	json_end_obj(&j);
	json_done(&j);
	free(ver);
}
