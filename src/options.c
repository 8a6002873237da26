/*-------------------------------------------------------------------------
 *
 * options.c
 *	  Parsing of the options argument of diff() and apply().
 *
 * Options are a JSONB object.  Every key is checked: an unknown key or a
 * value of the wrong type is an error, never silently ignored, so that a
 * typo in "allow_drops" cannot turn a guarded apply into an unguarded one.
 *
 * src/options.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/numeric.h"

#include "schemasync.h"

/*
 * opt_bool
 *		The boolean value of an option, or an error naming the option.
 */
static bool
opt_bool(const char *key, JsonbValue *v)
{
	if (v->type != jbvBool)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("schemasync option \"%s\" must be a boolean", key)));
	return v->val.boolean;
}

/*
 * parse_schema_map
 *		{"name": "name", ...} (schema_map, renames) as a flat list of pairs.
 */
static List *
parse_schema_map(JsonbValue *v, const char *key)
{
	JsonbIterator *it;
	JsonbValue	e;
	JsonbIteratorToken tok;
	List	   *pairs = NIL;

	if (v->type != jbvBinary || !JsonContainerIsObject(v->val.binary.data))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("schemasync option \"%s\" must be an object of names", key),
				 errhint("For example '{\"schema_map\": {\"public\": \"tenant_7\"}}' or '{\"renames\": {\"public.users\": \"customers\"}}'.")));
	it = JsonbIteratorInit(v->val.binary.data);
	while ((tok = JsonbIteratorNext(&it, &e, true)) != WJB_DONE)
	{
		if (tok == WJB_KEY)
			pairs = lappend(pairs, pnstrdup(e.val.string.val, e.val.string.len));
		else if (tok == WJB_VALUE)
		{
			if (e.type != jbvString || e.val.string.len == 0)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("schemasync option \"%s\" must map names to names", key)));
			pairs = lappend(pairs, pnstrdup(e.val.string.val, e.val.string.len));
		}
	}
	return pairs;
}

/*
 * opt_string
 *		The string value of an option.
 */
static char *
opt_string(const char *key, JsonbValue *v)
{
	if (v->type != jbvString || v->val.string.len == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("schemasync option \"%s\" must be a non-empty string", key)));
	return pnstrdup(v->val.string.val, v->val.string.len);
}

/*
 * opt_timeout
 *		A timeout: a number of milliseconds or a string such as "5s".
 */
static char *
opt_timeout(const char *key, JsonbValue *v)
{
	if (v->type == jbvNumeric)
		return psprintf("%sms", DatumGetCString(DirectFunctionCall1(numeric_out,
																	NumericGetDatum(v->val.numeric))));
	if (v->type == jbvString && v->val.string.len > 0)
		return pnstrdup(v->val.string.val, v->val.string.len);
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("schemasync option \"%s\" must be a number of milliseconds or a string such as \"5s\"", key)));
	return NULL;
}

/*
 * opt_list
 *		An array of strings (and, when numbers_ok, numbers as text).
 */
static List *
opt_list(const char *key, JsonbValue *v, bool numbers_ok)
{
	JsonbIterator *it;
	JsonbValue	e;
	JsonbIteratorToken tok;
	List	   *items = NIL;

	if (v->type != jbvBinary || !JsonContainerIsArray(v->val.binary.data))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("schemasync option \"%s\" must be an array", key)));
	it = JsonbIteratorInit(v->val.binary.data);
	while ((tok = JsonbIteratorNext(&it, &e, true)) != WJB_DONE)
	{
		if (tok != WJB_ELEM)
			continue;
		if (e.type == jbvString && e.val.string.len > 0)
			items = lappend(items, pnstrdup(e.val.string.val, e.val.string.len));
		else if (e.type == jbvNumeric && numbers_ok)
			items = lappend(items, DatumGetCString(DirectFunctionCall1(numeric_out,
																	   NumericGetDatum(e.val.numeric))));
		else
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("schemasync option \"%s\" must hold %s", key,
							numbers_ok ? "ordinals (numbers) or identities (strings)" : "strings")));
	}
	return items;
}

/*
 * ss_parse_options
 *		Check and parse the options object; NULL means all defaults.
 */
SsOptions *
ss_parse_options(Jsonb *options)
{
	SsOptions  *opts = palloc0(sizeof(SsOptions));
	JsonbIterator *it;
	JsonbValue	v;
	JsonbIteratorToken tok;
	char	   *key = NULL;

	ss_read_acls = false;
	/* extensions are modeled on the model path only (it sets these) */
	ss_read_exts = false;
	ss_model_extensions = NIL;
	ss_scratch_path_for = NULL;
	if (options == NULL)
		return opts;
	if (!JB_ROOT_IS_OBJECT(options) || JB_ROOT_IS_SCALAR(options))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("schemasync options must be a JSON object"),
				 errhint("Pass for example '{\"allow_drops\": true}'.")));

	it = JsonbIteratorInit(&options->root);
	while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
	{
		if (tok == WJB_KEY)
		{
			key = pnstrdup(v.val.string.val, v.val.string.len);
			continue;
		}
		if (tok != WJB_VALUE)
			continue;

		if (strcmp(key, "schema_map") == 0)
		{
			opts->schema_map = parse_schema_map(&v, key);
			continue;
		}
		if (strcmp(key, "renames") == 0)
		{
			opts->renames = parse_schema_map(&v, key);
			continue;
		}
		if (strcmp(key, "allow_drops") == 0)
			opts->allow_drops = opt_bool(key, &v);
		else if (strcmp(key, "verbose") == 0)
			opts->verbose = opt_bool(key, &v);
		else if (strcmp(key, "mode") == 0)
		{
			char	   *mode = opt_string(key, &v);

			if (strcmp(mode, "create") == 0)
				opts->mode_create = true;
			else if (strcmp(mode, "alter") != 0)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("schemasync option \"mode\" must be \"create\" or \"alter\"")));
		}
		else if (strcmp(key, "materialize") == 0)
		{
			char	   *what = opt_string(key, &v);

			if (strcmp(what, "all") == 0)
				opts->materialize_all = true;
			else if (strcmp(what, "changes") != 0)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("schemasync option \"materialize\" must be \"changes\" or \"all\"")));
		}
		else if (strcmp(key, "only") == 0)
			opts->only = opt_list(key, &v, true);
		else if (strcmp(key, "skip") == 0)
			opts->skip = opt_list(key, &v, true);
		else if (strcmp(key, "kinds") == 0)
			opts->kinds = opt_list(key, &v, false);
		else if (strcmp(key, "pattern") == 0)
			opts->pattern = opt_string(key, &v);
		else if (strcmp(key, "database") == 0)
			opts->database = opt_string(key, &v);
		else if (strcmp(key, "lock_timeout") == 0)
			opts->lock_timeout = opt_timeout(key, &v);
		else if (strcmp(key, "statement_timeout") == 0)
			opts->statement_timeout = opt_timeout(key, &v);
		else if (strcmp(key, "expected_fingerprint") == 0)
			opts->expected_fingerprint = opt_string(key, &v);
		else if (strcmp(key, "history") == 0)
			opts->no_history = !opt_bool(key, &v);
		else if (strcmp(key, "ignore_unmodeled") == 0)
			opts->ignore_unmodeled = opt_bool(key, &v);
		else if (strcmp(key, "privileges") == 0)
			opts->privileges = opt_bool(key, &v);
		else if (strcmp(key, "owners") == 0)
			opts->owners = opt_bool(key, &v);
		else if (strcmp(key, "extension_versions") == 0)
			opts->extension_versions = opt_bool(key, &v);
		else
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("unknown schemasync option \"%s\"", key),
					 errhint("Valid options are: allow_drops, database, expected_fingerprint, extension_versions, history, ignore_unmodeled, kinds, lock_timeout, materialize, mode, only, owners, pattern, privileges, renames, schema_map, skip, statement_timeout, verbose.")));
	}
	/* the catalog reader models ACLs and owners only when they are compared */
	ss_read_acls = opts->privileges || opts->owners;
	return opts;
}
