/*-------------------------------------------------------------------------
 *
 * json_model.c
 *	  The JSONB form of a model: writer (snapshot) and reader.
 *
 * The document (docs/model.md):
 *
 *	{"format": "schemasync", "version": 1, "server_version_num": 150020,
 *	 "schemas": ["public"],
 *	 "objects": [{"kind": "table", "schema": "public", "name": "users",
 *				  "columns": [{"name": "id", "type": "bigint", ...}],
 *				  "depends_on": ["sequence:users_id_seq"]}, ...]}
 *
 * Every property of a kind is a field named as in the kind's property list
 * (kind_*.c), left out when unset; columns are nested in their table, in
 * order.  Objects come sorted by schema, kind and name, so the same catalog
 * always gives the same document, whatever the OIDs.
 *
 * The reader treats its input as untrusted: every field is checked, an
 * unknown field is an error, and every error names the JSON path of the
 * offending value and what was expected there.  Names are only ever quoted
 * with quote_identifier; SQL fragments (types, expressions, definitions) are
 * executed only by the normalizer, one checked statement at a time.
 *
 * src/json_model.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "common/sha2.h"
#include "executor/spi.h"
#include "mb/pg_wchar.h"
#include "utils/fmgrprotos.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/varlena.h"
#include "utils/json.h"
#include "utils/jsonb.h"
#include "utils/memutils.h"
#include "utils/numeric.h"

#include "schemasync.h"

#define SS_MODEL_VERSION 1

/* ---------------------------------------------------------------------
 * Writing
 * ---------------------------------------------------------------------
 */

/*
 * push_key
 *		An object key.
 */
static void
push_key(JsonbParseState **st, const char *key)
{
	JsonbValue	v;

	v.type = jbvString;
	v.val.string.val = (char *) key;
	v.val.string.len = strlen(key);
	pushJsonbValue(st, WJB_KEY, &v);
}

/*
 * push_string
 *		A string value (tok is WJB_VALUE or WJB_ELEM).
 */
static void
push_string(JsonbParseState **st, JsonbIteratorToken tok, const char *s)
{
	JsonbValue	v;

	v.type = jbvString;
	v.val.string.val = (char *) s;
	v.val.string.len = strlen(s);
	pushJsonbValue(st, tok, &v);
}

/*
 * push_object_text
 *		A property held as the text of a JSON object (of strings), pushed as
 *		that object.
 */
static void
push_object_text(JsonbParseState **st, const char *s)
{
	Jsonb	   *jb = DatumGetJsonbP(DirectFunctionCall1(jsonb_in, CStringGetDatum(s)));
	JsonbIterator *it = JsonbIteratorInit(&jb->root);
	JsonbValue	v;
	JsonbIteratorToken tok;

	while ((tok = JsonbIteratorNext(&it, &v, false)) != WJB_DONE)
		pushJsonbValue(st, tok, (tok == WJB_KEY || tok == WJB_VALUE || tok == WJB_ELEM) ? &v : NULL);
}

/*
 * push_typed
 *		A property value as its kind declares it: text, boolean, number or
 *		object.
 */
static void
push_typed(JsonbParseState **st, char type, const char *s)
{
	JsonbValue	v;

	if (type == 'o')
		push_object_text(st, s);
	else if (type == 'b')
	{
		v.type = jbvBool;
		v.val.boolean = true;
		pushJsonbValue(st, WJB_VALUE, &v);
	}
	else if (type == 'a')
	{
		/* a text[] literal: a JSON array of strings */
		ListCell   *lc;

		pushJsonbValue(st, WJB_BEGIN_ARRAY, NULL);
		foreach(lc, ss_text_array_elems(s))
			push_string(st, WJB_ELEM, lfirst(lc));
		pushJsonbValue(st, WJB_END_ARRAY, NULL);
	}
	else if (type == 'n')
	{
		v.type = jbvNumeric;
		v.val.numeric = DatumGetNumeric(DirectFunctionCall3(numeric_in,
															CStringGetDatum(s),
															ObjectIdGetDatum(InvalidOid),
															Int32GetDatum(-1)));
		pushJsonbValue(st, WJB_VALUE, &v);
	}
	else
		push_string(st, WJB_VALUE, s);
}

/*
 * push_props_and_deps
 *		The properties of an object and its dependencies (the parent table
 *		left out: nesting or "table" says it).
 */
static void
push_props_and_deps(JsonbParseState **st, SsObject *obj)
{
	const SsKindOps *ops = ss_kind_ops[obj->kind];
	List	   *deps = NIL;
	ListCell   *lc;
	int			p;

	for (p = 0; p < ops->nprops; p++)
	{
		const char *value = ss_prop(obj, p);

		if (value == NULL)
			continue;
		push_key(st, ops->propnames[p]);
		push_typed(st, ops->proptypes[p], value);
	}
	foreach(lc, ss_deps(obj))
	{
		SsDep	   *dep = lfirst(lc);

		if (obj->parentobj && strcmp(dep->key, obj->parentobj->key) == 0)
			continue;
		/* a sequence's owner is its owned_by property, not a prerequisite */
		if (dep->flags == SS_DEP_OWNED)
			continue;
		deps = lappend(deps, dep->key);
	}
	if (deps != NIL)
	{
		list_sort(deps, ss_cstring_cmp);
		push_key(st, "depends_on");
		pushJsonbValue(st, WJB_BEGIN_ARRAY, NULL);
		foreach(lc, deps)
			push_string(st, WJB_ELEM, lfirst(lc));
		pushJsonbValue(st, WJB_END_ARRAY, NULL);
	}
}

/*
 * object_cmp
 *		list_sort comparator: by kind, then table, then name.
 */
static int
object_cmp(const ListCell *a, const ListCell *b)
{
	SsObject   *x = lfirst(a);
	SsObject   *y = lfirst(b);
	int			r;

	if (x->kind != y->kind)
		return x->kind - y->kind;
	r = strcmp(x->parent ? x->parent : "", y->parent ? y->parent : "");
	if (r != 0)
		return r;
	return strcmp(x->name, y->name);
}

/*
 * column_position_cmp
 *		list_sort comparator: columns by number.
 */
static int
column_cmp(const ListCell *a, const ListCell *b)
{
	return ((SsObject *) lfirst(a))->position - ((SsObject *) lfirst(b))->position;
}

/*
 * push_object
 *		The element of one top-level object of model m: its kind, schema,
 *		name, table, properties, dependencies and, for a table, its columns
 *		by number.  Returns what pushJsonbValue returns for its end (the
 *		element itself when it is pushed alone).
 */
static JsonbValue *
push_object(JsonbParseState **st, SsModel *m, SsObject *obj)
{
	pushJsonbValue(st, WJB_BEGIN_OBJECT, NULL);
	push_key(st, "kind");
	push_string(st, WJB_VALUE, ss_kind_ops[obj->kind]->name);
	push_key(st, "schema");
	push_string(st, WJB_VALUE, m->schema);
	push_key(st, "name");
	push_string(st, WJB_VALUE, obj->name);
	if (obj->parent)
	{
		push_key(st, obj->kind == SS_DOMCONSTRAINT ? "domain" : "table");
		push_string(st, WJB_VALUE, obj->parent);
	}
	push_props_and_deps(st, obj);
	if (obj->kind == SS_TABLE)
	{
		List	   *cols = NIL;
		ListCell   *cc;

		foreach(cc, obj->children)
			if (((SsObject *) lfirst(cc))->kind == SS_COLUMN)
				cols = lappend(cols, lfirst(cc));
		list_sort(cols, column_cmp);
		push_key(st, "columns");
		pushJsonbValue(st, WJB_BEGIN_ARRAY, NULL);
		foreach(cc, cols)
		{
			SsObject   *col = lfirst(cc);

			pushJsonbValue(st, WJB_BEGIN_OBJECT, NULL);
			push_key(st, "name");
			push_string(st, WJB_VALUE, col->name);
			push_props_and_deps(st, col);
			pushJsonbValue(st, WJB_END_OBJECT, NULL);
		}
		pushJsonbValue(st, WJB_END_ARRAY, NULL);
	}
	return pushJsonbValue(st, WJB_END_OBJECT, NULL);
}

/*
 * sorted_objects
 *		The top-level objects of a model (its columns left out), in the
 *		order of a document: by kind, then table, then name.
 */
static List *
sorted_objects(SsModel *m)
{
	List	   *objs = NIL;
	ListCell   *lc;

	foreach(lc, m->objects)
	{
		SsObject   *obj = lfirst(lc);

		if (obj->kind != SS_COLUMN)
			objs = lappend(objs, obj);
	}
	list_sort(objs, object_cmp);
	return objs;
}

/*
 * models_document
 *		The document of a list of models (one per schema, in order), or
 *		without its objects (an empty "objects" array) when !objects.
 *
 *		The tree of JsonbValues it is built from is several times the size of
 *		the document (at 1,000 tables, about 25 MB for a 3 MB document): it
 *		is built in a context of its own, deleted once the document is
 *		serialized, so that what the caller allocates next reuses its memory
 *		instead of touching new pages.  Properties deparsed on the way
 *		(ss_prop) go to their model's own context, not to this one.
 */
static Jsonb *
models_document(List *models, bool objects)
{
	MemoryContext cxt = CurrentMemoryContext;
	MemoryContext tree = AllocSetContextCreate(cxt, "schemasync document tree",
											   ALLOCSET_DEFAULT_SIZES);
	JsonbParseState *st = NULL;
	JsonbValue	v;
	JsonbValue *res;
	Jsonb	   *doc;
	ListCell   *mc;

	MemoryContextSwitchTo(tree);
	pushJsonbValue(&st, WJB_BEGIN_OBJECT, NULL);
	push_key(&st, "format");
	push_string(&st, WJB_VALUE, "schemasync");
	push_key(&st, "version");
	push_typed(&st, 'n', CppAsString2(SS_MODEL_VERSION));
	push_key(&st, "server_version_num");
	v.type = jbvNumeric;
	v.val.numeric = int64_to_numeric(PG_VERSION_NUM);
	pushJsonbValue(&st, WJB_VALUE, &v);

	push_key(&st, "schemas");
	pushJsonbValue(&st, WJB_BEGIN_ARRAY, NULL);
	foreach(mc, models)
		push_string(&st, WJB_ELEM, ((SsModel *) lfirst(mc))->schema);
	pushJsonbValue(&st, WJB_END_ARRAY, NULL);

	push_key(&st, "objects");
	pushJsonbValue(&st, WJB_BEGIN_ARRAY, NULL);
	foreach(mc, objects ? models : NIL)
	{
		SsModel    *m = lfirst(mc);
		ListCell   *lc;

		foreach(lc, sorted_objects(m))
			(void) push_object(&st, m, lfirst(lc));
	}
	pushJsonbValue(&st, WJB_END_ARRAY, NULL);
	res = pushJsonbValue(&st, WJB_END_OBJECT, NULL);
	MemoryContextSwitchTo(cxt);
	doc = JsonbValueToJsonb(res);
	MemoryContextDelete(tree);
	return doc;
}

/*
 * Writing a document an object at a time.
 *
 * The tree of JsonbValues that JsonbValueToJsonb() serializes is many times
 * the size of the document: for the 26 MB document of a 10,000-table schema
 * it was about 200 MB, the largest part of the peak of snapshot() and of
 * each of an apply's two history snapshots.  So ss_models_to_jsonb writes
 * the document's "objects" array itself, an element at a time: each object
 * is serialized alone by JsonbValueToJsonb(), from a tree made and freed for
 * it, and its container is appended to the array's data with the array's
 * header and entries as convertJsonbArray() writes them (src/backend/utils/
 * adt/jsonb_util.c).  The other top-level fields come from the document
 * without objects, serialized by the server, and are copied around the
 * array as convertJsonbObject() lays them out.  The result is the same
 * bytes JsonbValueToJsonb() makes of the whole tree: every container and
 * number starts on a 4-byte boundary of the whole, counted from the start
 * of the varlena, its padding counted in its length, and each
 * JB_OFFSET_STRIDE'th entry holds an end offset instead of a length.
 */

/*
 * doc_pad
 *		Zero bytes up to the next 4-byte boundary of the document.
 */
static void
doc_pad(StringInfo buf)
{
	int			pad = INTALIGN(buf->len) - buf->len;

	if (pad > 0)
		appendBinaryStringInfo(buf, "\0\0\0", pad);
}

/*
 * doc_entry
 *		The entry of child i of a container whose children's data so far,
 *		this one's included, is total bytes, this one len: an end offset for
 *		every JB_OFFSET_STRIDE'th child, else the length.
 */
static JEntry
doc_entry(JEntry type, int i, uint32 len, uint32 total)
{
	if (total > JENTRY_OFFLENMASK)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("schemasync model is too large to be a jsonb value"),
				 errdetail("Its elements exceed the maximum of %d bytes.",
						   JENTRY_OFFLENMASK)));
	return (i % JB_OFFSET_STRIDE) == 0 ?
		type | JENTRY_HAS_OFF | total : type | len;
}

/*
 * doc_child
 *		Where the data of child i of a container begins, relative to the
 *		start of its children's data, and (when len is not NULL) its length:
 *		its entry holds either, and an end offset follows each run of
 *		lengths.
 */
static uint32
doc_child(const JsonbContainer *c, int i, uint32 *len)
{
	uint32		off = 0;
	int			j = i;

	while (--j >= 0)
	{
		off += JBE_OFFLENFLD(c->children[j]);
		if (JBE_HAS_OFF(c->children[j]))
			break;
	}
	if (len != NULL)
		*len = JBE_OFFLENFLD(c->children[i]) -
			(JBE_HAS_OFF(c->children[i]) ? off : 0);
	return off;
}

/*
 * doc_reserve
 *		Room in buf for n entries, filled in later; returns where they are.
 */
static int
doc_reserve(StringInfo buf, int n)
{
	int			at = buf->len;

	enlargeStringInfo(buf, n * sizeof(JEntry));
	buf->len += n * sizeof(JEntry);
	return at;
}

/*
 * object_document
 *		One object of a model serialized alone, in the current context: an
 *		element of its document as the server writes it.
 */
static Jsonb *
object_document(SsModel *m, SsObject *obj)
{
	JsonbParseState *st = NULL;

	return JsonbValueToJsonb(push_object(&st, m, obj));
}

/*
 * doc_objects_array
 *		Append the "objects" array of a document of models to buf, as
 *		convertJsonbArray() would write it (its header, its entries, then
 *		each element's container, each padded to 4 bytes), each element
 *		serialized alone in a context reset for the next.
 */
static void
doc_objects_array(StringInfo buf, List *models)
{
	MemoryContext cxt = CurrentMemoryContext;
	MemoryContext one = AllocSetContextCreate(cxt, "schemasync document element",
											  ALLOCSET_DEFAULT_SIZES);
	List	   *sorted = NIL;
	ListCell   *mc;
	ListCell   *sc;
	uint32		header;
	int			n = 0;
	int			entries;
	int			i = 0;
	uint32		total = 0;

	foreach(mc, models)
	{
		List	   *objs = sorted_objects(lfirst(mc));

		sorted = lappend(sorted, objs);
		n += list_length(objs);
	}
	doc_pad(buf);
	header = (uint32) n | JB_FARRAY;
	appendBinaryStringInfo(buf, (char *) &header, sizeof(uint32));
	entries = doc_reserve(buf, n);

	forboth(mc, models, sc, sorted)
	{
		SsModel    *m = lfirst(mc);
		ListCell   *lc;

		foreach(lc, (List *) lfirst(sc))
		{
			Jsonb	   *elem;
			int			base = buf->len;
			JEntry		meta;

			MemoryContextSwitchTo(one);
			elem = object_document(m, lfirst(lc));
			MemoryContextSwitchTo(cxt);
			doc_pad(buf);
			appendBinaryStringInfo(buf, (char *) &elem->root, VARSIZE(elem) - VARHDRSZ);
			MemoryContextReset(one);
			total += buf->len - base;
			meta = doc_entry(JENTRY_ISCONTAINER, i, buf->len - base, total);
			memcpy(buf->data + entries + i * sizeof(JEntry), &meta, sizeof(JEntry));
			i++;
		}
	}
	MemoryContextDelete(one);
}

/*
 * ss_models_to_jsonb
 *		The document of a list of models (one per schema, in order), written
 *		an object at a time (above): the document without objects, as the
 *		server serializes it, with its empty "objects" array replaced.
 */
Jsonb *
ss_models_to_jsonb(List *models)
{
	Jsonb	   *shell = models_document(models, false);
	JsonbContainer *root = &shell->root;
	int			npairs = JsonContainerSize(root);
	const char *data = (const char *) &root->children[2 * npairs];
	uint32		keyslen = doc_child(root, npairs, NULL);
	StringInfoData buf;
	int			entries;
	uint32		total = keyslen;
	int			i;

	Assert(JsonContainerIsObject(root));
	initStringInfo(&buf);
	/* the varlena header, set at the end; the object's header */
	buf.len = VARHDRSZ;
	appendBinaryStringInfo(&buf, (char *) &root->header, sizeof(uint32));
	entries = buf.len;
	/* the keys' entries and data, as they are */
	appendBinaryStringInfo(&buf, (char *) root->children, npairs * sizeof(JEntry));
	(void) doc_reserve(&buf, npairs);
	appendBinaryStringInfo(&buf, data, keyslen);

	for (i = 0; i < npairs; i++)
	{
		int			k = npairs + i;
		JEntry		type = root->children[k] & JENTRY_TYPEMASK;
		uint32		len;
		uint32		start = doc_child(root, k, &len);
		uint32		keylen;
		uint32		keystart = doc_child(root, i, &keylen);
		int			base = buf.len;
		JEntry		meta;

		if (keylen == 7 && memcmp(data + keystart, "objects", 7) == 0 &&
			type == JENTRY_ISCONTAINER)
			doc_objects_array(&buf, models);
		else if (type == JENTRY_ISCONTAINER || type == JENTRY_ISNUMERIC)
		{
			/* its padding in the shell, then its data padded here */
			uint32		at = (data - (const char *) shell) + start;
			uint32		pad = INTALIGN(at) - at;

			doc_pad(&buf);
			appendBinaryStringInfo(&buf, data + start + pad, len - pad);
		}
		else
			appendBinaryStringInfo(&buf, data + start, len);
		total += buf.len - base;
		meta = doc_entry(type, k, buf.len - base, total);
		memcpy(buf.data + entries + k * sizeof(JEntry), &meta, sizeof(JEntry));
	}
	SET_VARSIZE(buf.data, buf.len);
	pfree(shell);

#ifdef SS_CHECK_DOCUMENT
	{
		/* the server's serialization of the whole tree, for comparison */
		Jsonb	   *whole = models_document(models, true);

		if (VARSIZE(whole) != buf.len || memcmp(whole, buf.data, buf.len) != 0)
			elog(ERROR, "schemasync: document written an object at a time differs (%u and %d bytes)",
				 (unsigned) VARSIZE(whole), buf.len);
		/* to the server's log only: the regression outputs stay the same */
		ereport(LOG_SERVER_ONLY,
				(errmsg_internal("schemasync: document written an object at a time: the same %d bytes",
								 buf.len)));
		pfree(whole);
	}
#endif
	return (Jsonb *) buf.data;
}

/*
 * ss_models_are_document
 *		Whether a document is, field for field, the one ss_models_to_jsonb
 *		writes of a list of models, its "server_version_num" aside (either
 *		may have one).  The models' document is not written: its top-level
 *		fields are compared with a document of them without objects, then
 *		each object, written alone in a context reset for the next, with the
 *		document's element at its place (elements are compared as JSONB, as
 *		the whole documents would be).  At 1,000 tables the whole document
 *		is built from a 25 MB tree of JsonbValues.
 */
bool
ss_models_are_document(List *models, Jsonb *doc)
{
	static const char *const but_objects[] = {"server_version_num", "objects", NULL};

	MemoryContext cxt = CurrentMemoryContext;
	MemoryContext work;
	MemoryContext one;
	JsonbValue *objects;
	JsonbIterator *it;
	JsonbValue	v;
	JsonbIteratorToken tok;
	ListCell   *mc;
	bool		same;

	if (!JB_ROOT_IS_OBJECT(doc) || JB_ROOT_IS_SCALAR(doc))
		return false;
	objects = getKeyJsonValueFromContainer(&doc->root, "objects", 7, NULL);
	if (objects == NULL || objects->type != jbvBinary ||
		!JsonContainerIsArray(objects->val.binary.data))
		return false;

	work = AllocSetContextCreate(cxt, "schemasync document comparison",
								 ALLOCSET_DEFAULT_SIZES);
	one = AllocSetContextCreate(work, "schemasync document element",
								ALLOCSET_DEFAULT_SIZES);
	MemoryContextSwitchTo(work);
	same = ss_jsonb_same_fields(&models_document(models, false)->root, &doc->root,
								but_objects);
	it = JsonbIteratorInit(objects->val.binary.data);
	tok = JsonbIteratorNext(&it, &v, true);	/* WJB_BEGIN_ARRAY */
	foreach(mc, same ? models : NIL)
	{
		SsModel    *m = lfirst(mc);
		ListCell   *lc;

		foreach(lc, sorted_objects(m))
		{
			Jsonb	   *elem;

			tok = JsonbIteratorNext(&it, &v, true);
			if (tok != WJB_ELEM || v.type != jbvBinary)
			{
				same = false;
				break;
			}
			MemoryContextSwitchTo(one);
			elem = object_document(m, lfirst(lc));
			same = compareJsonbContainers(v.val.binary.data, &elem->root) == 0;
			MemoryContextSwitchTo(work);
			MemoryContextReset(one);
			if (!same)
				break;
		}
		if (!same)
			break;
	}
	/* and the document holds no more objects */
	if (same)
		same = JsonbIteratorNext(&it, &v, true) == WJB_END_ARRAY;
	MemoryContextSwitchTo(cxt);
	MemoryContextDelete(work);
	return same;
}

/* ---------------------------------------------------------------------
 * Reading
 * ---------------------------------------------------------------------
 */

static List *array_elems(JsonbContainer *c);
static void required_prop(SsObject *obj, int prop, const char *path);

/*
 * bad_model
 *		The error for an invalid model: what is wrong, and where.
 */
static void
bad_model(const char *path, const char *what)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid schemasync model at %s: %s", path, what),
			 errhint("See docs/model.md for the model format; schemasync.snapshot() writes valid models.")));
}

/*
 * json_type_name
 *		What a JSON value is, for error messages.
 */
static const char *
json_type_name(JsonbValue *v)
{
	switch (v->type)
	{
		case jbvNull:
			return "null";
		case jbvString:
			return "a string";
		case jbvNumeric:
			return "a number";
		case jbvBool:
			return "a boolean";
		case jbvBinary:
			return JsonContainerIsArray(v->val.binary.data) ? "an array" : "an object";
		default:
			return "a value";
	}
}

/*
 * expect_container
 *		The container of an object (isarray false) or array value, or an
 *		error.
 */
static JsonbContainer *
expect_container(JsonbValue *v, bool isarray, const char *path)
{
	if (v->type != jbvBinary ||
		(isarray ? !JsonContainerIsArray(v->val.binary.data)
		 : !JsonContainerIsObject(v->val.binary.data)))
		bad_model(path, psprintf("expected %s, found %s",
								 isarray ? "an array" : "an object", json_type_name(v)));
	return v->val.binary.data;
}

/*
 * expect_string
 *		A non-empty string value, or an error.
 */
static char *
expect_string(JsonbValue *v, const char *path)
{
	if (v->type != jbvString)
		bad_model(path, psprintf("expected a string, found %s", json_type_name(v)));
	if (v->val.string.len == 0)
		bad_model(path, "expected a non-empty string");
	if (memchr(v->val.string.val, '\0', v->val.string.len))
		bad_model(path, "a string must not contain a NUL character");
	return pnstrdup(v->val.string.val, v->val.string.len);
}

/*
 * expect_name
 *		An SQL identifier: a string of at most NAMEDATALEN - 1 bytes (a longer
 *		one would be truncated by the server and never converge).
 */
static char *
expect_name(JsonbValue *v, const char *path)
{
	char	   *s = expect_string(v, path);

	if (strlen(s) >= NAMEDATALEN)
		bad_model(path, psprintf("a name is at most %d bytes long", NAMEDATALEN - 1));
	return s;
}

/*
 * read_string_object
 *		An object whose keys are names and whose values are strings (column
 *		comments), as its canonical jsonb text; NULL when empty.
 */
static char *
read_string_object(JsonbValue *v, const char *path)
{
	JsonbContainer *c;
	JsonbIterator *it;
	JsonbValue	item;
	JsonbIteratorToken tok;
	char	   *fpath = NULL;

	if (v->type != jbvBinary || !JsonContainerIsObject(v->val.binary.data))
		bad_model(path, psprintf("expected an object, found %s", json_type_name(v)));
	c = v->val.binary.data;
	it = JsonbIteratorInit(c);
	while ((tok = JsonbIteratorNext(&it, &item, true)) != WJB_DONE)
	{
		if (tok == WJB_KEY)
		{
			fpath = psprintf("%s.%.*s", path, item.val.string.len, item.val.string.val);
			if (item.val.string.len == 0 || item.val.string.len >= NAMEDATALEN)
				bad_model(fpath, psprintf("a column name is 1 to %d bytes long", NAMEDATALEN - 1));
		}
		else if (tok == WJB_VALUE)
			(void) expect_string(&item, fpath);
	}
	if (JsonContainerSize(c) == 0)
		return NULL;
	return JsonbToCString(NULL, c, v->val.binary.len);
}

/*
 * read_prop
 *		A property value of the declared type, as text; NULL for false.
 */
static char *
read_prop(JsonbValue *v, char type, const char *path)
{
	switch (type)
	{
		case 'o':
			return read_string_object(v, path);
		case 'b':
			if (v->type != jbvBool)
				bad_model(path, psprintf("expected a boolean, found %s", json_type_name(v)));
			return v->val.boolean ? pstrdup("true") : NULL;
		case 'n':
			if (v->type != jbvNumeric)
				bad_model(path, psprintf("expected a number, found %s", json_type_name(v)));
			return DatumGetCString(DirectFunctionCall1(numeric_out,
													   NumericGetDatum(v->val.numeric)));
		case 'a':
			{
				/* a JSON array of strings, kept as a text[] literal */
				List	   *elems;
				Datum	   *datums;
				ListCell   *lc;
				int			i = 0;

				elems = array_elems(expect_container(v, true, path));
				datums = palloc0(sizeof(Datum) * (list_length(elems) + 1));
				foreach(lc, elems)
				{
					datums[i] = CStringGetTextDatum(expect_string(lfirst(lc),
																  psprintf("%s[%d]", path, i)));
					i++;
				}
				return OidOutputFunctionCall(F_ARRAY_OUT,
											 PointerGetDatum(construct_array(datums, i, TEXTOID, -1,
																			 false, TYPALIGN_INT)));
			}
		default:
			return expect_string(v, path);
	}
}

/*
 * iterate_object
 *		The keys and values of an object container, in order.
 */
typedef struct SsField
{
	char	   *key;
	JsonbValue	value;
} SsField;

static List *
object_fields(JsonbContainer *c)
{
	JsonbIterator *it = JsonbIteratorInit(c);
	JsonbValue	v;
	JsonbIteratorToken tok;
	List	   *fields = NIL;
	SsField    *f = NULL;

	while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
	{
		if (tok == WJB_KEY)
		{
			f = palloc0(sizeof(SsField));
			f->key = pnstrdup(v.val.string.val, v.val.string.len);
		}
		else if (tok == WJB_VALUE && f)
		{
			f->value = v;
			fields = lappend(fields, f);
			f = NULL;
		}
	}
	return fields;
}

/*
 * array_elems
 *		The elements of an array container.
 */
static List *
array_elems(JsonbContainer *c)
{
	JsonbIterator *it = JsonbIteratorInit(c);
	JsonbValue	v;
	JsonbIteratorToken tok;
	List	   *elems = NIL;

	while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
	{
		if (tok == WJB_ELEM)
		{
			JsonbValue *copy = palloc(sizeof(JsonbValue));

			*copy = v;
			elems = lappend(elems, copy);
		}
	}
	return elems;
}

/*
 * kind_by_name
 *		The kind of a "kind" field, or -1.
 */
static int
kind_by_name(const char *name)
{
	int			k;

	for (k = 0; k < SS_NUM_KINDS; k++)
		if (strcmp(ss_kind_ops[k]->name, name) == 0)
			return k;
	return -1;
}

/*
 * object_kind_names
 *		The kinds a model object may have, for messages: "a, b or c".
 */
static char *
object_kind_names(void)
{
	StringInfoData buf;
	int			n = 0;
	int			k;

	initStringInfo(&buf);
	for (k = 0; k < SS_NUM_KINDS; k++)
		if (k != SS_COLUMN)
			n++;
	for (k = 0; k < SS_NUM_KINDS; k++)
	{
		if (k == SS_COLUMN)
			continue;
		appendStringInfo(&buf, "%s%s", buf.len == 0 ? "" : (--n == 1 ? " or " : ", "),
						 ss_kind_ops[k]->name);
	}
	return buf.data;
}

/*
 * prop_by_name
 *		The index of a property of a kind, or -1.
 */
static int
prop_by_name(SsKind kind, const char *name)
{
	const SsKindOps *ops = ss_kind_ops[kind];
	int			p;

	for (p = 0; p < ops->nprops; p++)
		if (strcmp(ops->propnames[p], name) == 0)
			return p;
	return -1;
}

/*
 * read_deps
 *		A "depends_on" array of object keys.
 */
static List *
read_deps(JsonbValue *v, const char *path)
{
	List	   *keys = NIL;
	ListCell   *lc;
	int			i = 0;

	foreach(lc, array_elems(expect_container(v, true, path)))
	{
		char	   *key = expect_string(lfirst(lc), psprintf("%s[%d]", path, i));

		if (strchr(key, ':') == NULL || kind_by_name(pnstrdup(key, strchr(key, ':') - key)) < 0)
			bad_model(psprintf("%s[%d]", path, i),
					  "expected an object key such as \"table:users\" or \"column:users.id\"");
		keys = lappend(keys, key);
		i++;
	}
	return keys;
}

/*
 * constraint_type_of
 *		The constraint type letter a definition starts with.
 */
static char *
constraint_type_of(const char *def, const char *path)
{
	while (*def == ' ' || *def == '\t' || *def == '\n')
		def++;
	if (pg_strncasecmp(def, "PRIMARY KEY", 11) == 0)
		return pstrdup("p");
	if (pg_strncasecmp(def, "UNIQUE", 6) == 0)
		return pstrdup("u");
	if (pg_strncasecmp(def, "CHECK", 5) == 0)
		return pstrdup("c");
	if (pg_strncasecmp(def, "FOREIGN KEY", 11) == 0)
		return pstrdup("f");
	if (pg_strncasecmp(def, "EXCLUDE", 7) == 0)
		return pstrdup("x");
	bad_model(path, "a constraint definition starts with PRIMARY KEY, UNIQUE, CHECK, FOREIGN KEY or EXCLUDE");
	return NULL;
}

/*
 * check_index_definition
 *		An index definition must be one CREATE INDEX of the object's name on
 *		its (unqualified) table.
 */
static void
check_index_definition(const char *def, const char *name, const char *table,
					   const char *path)
{
	MemoryContext cxt = CurrentMemoryContext;
	char	   *idxname = NULL;
	char	   *relname = NULL;
	char	   *schemaname = NULL;
	int			off = -1;
	volatile bool ok = false;

	PG_TRY();
	{
		ok = ss_parse_index_definition(def, &idxname, &relname, &schemaname, &off);
	}
	PG_CATCH();
	{
		MemoryContextSwitchTo(cxt);
		FlushErrorState();
		ok = false;
	}
	PG_END_TRY();
	if (!ok)
		bad_model(path, "expected one CREATE INDEX statement that names its index");
	if (strcmp(idxname, name) != 0)
		bad_model(path, psprintf("the statement creates index \"%s\", not \"%s\"", idxname, name));
	if (schemaname != NULL)
		bad_model(path, "leave the table unqualified: it is in the object's schema");
	if (strcmp(relname, table) != 0)
		bad_model(path, psprintf("the statement indexes table \"%s\", not \"%s\"", relname, table));
}

/*
 * check_type_fields
 *		A type names its form, and has the fields that form needs and no
 *		field of another form.
 */
static void
check_type_fields(SsObject *obj, const char *path)
{
	static const struct
	{
		const char *form;
		int			required;
		const char *allowed;	/* per property: 1 when the form has it */
	}			forms[] = {
		/* kind labels base coll default notnull attrs opc canon diff multi attrcomments comment */
		{"enum", TY_LABELS, "1100000000001"},
		{"domain", TY_BASE, "1011110000001"},
		{"composite", -1, "1000001000011"},
		{"range", TY_BASE, "1011000111101"},
	};
	int			f;
	int			p;

	required_prop(obj, TY_TYPE_KIND, path);
	for (f = 0; f < lengthof(forms); f++)
		if (strcmp(obj->props[TY_TYPE_KIND], forms[f].form) == 0)
			break;
	if (f == lengthof(forms))
		bad_model(psprintf("%s.type_kind", path),
				  "expected \"enum\", \"domain\", \"composite\" or \"range\"");
	for (p = 0; p < TY_NUM; p++)
		if (obj->props[p] && forms[f].allowed[p] != '1')
			bad_model(psprintf("%s.%s", path, ss_type_ops.propnames[p]),
					  psprintf("not a field of a type of type_kind \"%s\"", forms[f].form));
	if (forms[f].required >= 0)
		required_prop(obj, forms[f].required, path);
}

/*
 * check_routine_definition
 *		A routine definition must be one CREATE FUNCTION, PROCEDURE or
 *		AGGREGATE of the object's (unqualified) name, the name right after
 *		the keyword.
 */
static void
check_routine_definition(const char *def, const char *name, const char *path)
{
	MemoryContext cxt = CurrentMemoryContext;
	char	   *volatile created = NULL;
	char	   *prefix;

	if (ss_routine_prefix_len(def) < 0)
		bad_model(path, "expected CREATE [OR REPLACE] FUNCTION, PROCEDURE or AGGREGATE followed by the unqualified name");
	PG_TRY();
	{
		created = ss_parse_routine_definition(def);
	}
	PG_CATCH();
	{
		MemoryContextSwitchTo(cxt);
		FlushErrorState();
		created = NULL;
	}
	PG_END_TRY();
	if (created == NULL)
		bad_model(path, "expected one CREATE FUNCTION, PROCEDURE or AGGREGATE statement of an unqualified name");
	prefix = psprintf("%s(", quote_identifier(created));
	if (strncmp(name, prefix, strlen(prefix)) != 0)
		bad_model(path, psprintf("the statement creates routine %s, not %s",
								 quote_identifier(created), name));
}

/*
 * check_policy
 *		A policy's command is one of ALL, SELECT, INSERT, UPDATE, DELETE
 *		(ALL when left out, any case); its roles a list of role names or
 *		PUBLIC (PUBLIC when left out), stored sorted and quoted.
 */
static void
check_policy(SsObject *obj, const char *path)
{
	static const char *const commands[] = {"ALL", "SELECT", "INSERT", "UPDATE", "DELETE"};
	char	   *cmd = obj->props[PP_COMMAND];
	int			i;

	if (cmd == NULL)
		obj->props[PP_COMMAND] = pstrdup("ALL");
	else
	{
		for (i = 0; i < lengthof(commands); i++)
			if (pg_strcasecmp(cmd, commands[i]) == 0)
				break;
		if (i == lengthof(commands))
			bad_model(psprintf("%s.command", path),
					  "expected ALL, SELECT, INSERT, UPDATE or DELETE");
		obj->props[PP_COMMAND] = pstrdup(commands[i]);
	}
	if (obj->props[PP_ROLES] == NULL)
		obj->props[PP_ROLES] = pstrdup("PUBLIC");
	else
	{
		char	   *roles = ss_policy_roles_text(obj->props[PP_ROLES]);

		if (roles == NULL)
			bad_model(psprintf("%s.roles", path),
					  "expected PUBLIC or role names separated by commas");
		obj->props[PP_ROLES] = roles;
	}
}

typedef struct SsPendingDeps
{
	SsObject   *obj;
	List	   *keys;
	char	   *path;
} SsPendingDeps;

/*
 * read_fields
 *		The properties and dependencies of one object (or column) from its
 *		fields; "kind", "schema", "name", "table" and "columns" are read by
 *		the caller and skipped here.  The properties are made in the current
 *		context (persist_texts copies them out); the dependencies' keys, to
 *		be checked once every object is read, are copied into keep.
 */
static void
read_fields(SsObject *obj, List *fields, const char *path, List **pending,
			MemoryContext keep)
{
	ListCell   *lc;

	foreach(lc, fields)
	{
		SsField    *f = lfirst(lc);
		JsonbValue *v = &f->value;
		char	   *fpath;
		char		type;
		int			p;

		if (strcmp(f->key, "kind") == 0 || strcmp(f->key, "schema") == 0 ||
			strcmp(f->key, "name") == 0 || strcmp(f->key, "table") == 0 ||
			(strcmp(f->key, "domain") == 0 && obj->kind == SS_DOMCONSTRAINT) ||
			(strcmp(f->key, "columns") == 0 && obj->kind == SS_TABLE))
			continue;
		/* the path of the field, for messages: built when one may follow */
		if (strcmp(f->key, "depends_on") == 0)
		{
			List	   *keys;
			SsPendingDeps *pd;
			MemoryContext back;
			ListCell   *kc;

			/*
			 * Checked in the current context, which is reset for the next
			 * element: the checks make lists, copies and paths several
			 * times the keys' size (in the model's context they had been
			 * 37 MB of a 10,000-table model).
			 */
			fpath = psprintf("%s.%s", path, f->key);
			keys = read_deps(&f->value, fpath);
			back = MemoryContextSwitchTo(keep);
			pd = palloc(sizeof(SsPendingDeps));
			pd->obj = obj;
			pd->keys = NIL;
			foreach(kc, keys)
				pd->keys = lappend(pd->keys, pstrdup(lfirst(kc)));
			pd->path = pstrdup(fpath);
			*pending = lappend(*pending, pd);
			MemoryContextSwitchTo(back);
			continue;
		}
		p = prop_by_name(obj->kind, f->key);
		if (p < 0)
			bad_model(psprintf("%s.%s", path, f->key),
					  psprintf("unknown field of a %s", ss_kind_ops[obj->kind]->name));
		if (v->type == jbvNull)
			continue;
		type = ss_kind_ops[obj->kind]->proptypes[p];
		/* most fields are valid strings and booleans: read_prop's own way */
		if (type == 't' && v->type == jbvString && v->val.string.len > 0 &&
			memchr(v->val.string.val, '\0', v->val.string.len) == NULL)
			obj->props[p] = pnstrdup(v->val.string.val, v->val.string.len);
		else if (type == 'b' && v->type == jbvBool)
			obj->props[p] = v->val.boolean ? pstrdup("true") : NULL;
		else
			obj->props[p] = read_prop(v, type, psprintf("%s.%s", path, f->key));
	}
}

/*
 * required_prop
 *		An error when a required property is missing.
 */
static void
required_prop(SsObject *obj, int prop, const char *path)
{
	if (obj->props[prop] == NULL)
		bad_model(path, psprintf("a %s needs a \"%s\" field",
								 ss_kind_ops[obj->kind]->name,
								 ss_kind_ops[obj->kind]->propnames[prop]));
}

/*
 * field_value
 *		The value of a named field, or NULL.
 */
static JsonbValue *
field_value(List *fields, const char *key)
{
	ListCell   *lc;

	foreach(lc, fields)
	{
		SsField    *f = lfirst(lc);

		if (strcmp(f->key, key) == 0)
			return &f->value;
	}
	return NULL;
}

/*
 * model_for
 *		The model of a schema among those being read.
 */
static SsModel *
model_for(List *models, const char *schema)
{
	ListCell   *lc;

	foreach(lc, models)
		if (strcmp(((SsModel *) lfirst(lc))->schema, schema) == 0)
			return lfirst(lc);
	return NULL;
}

/*
 * add_checked
 *		Add an object unless its key is taken: a duplicate is an error that
 *		names the path.  The object is made in its model's context, whatever
 *		context is current.
 */
static SsObject *
add_checked(SsModel *m, SsKind kind, const char *parent, const char *name,
			const char *path)
{
	char	   *key = ss_make_key(kind, kind == SS_INDEX ? NULL : parent, name);
	MemoryContext back;
	SsObject   *obj;

	if (ss_object_lookup(m, key))
		bad_model(path, psprintf("duplicate %s \"%s\" in schema \"%s\"",
								 ss_kind_ops[kind]->name, name, m->schema));
	back = MemoryContextSwitchTo(GetMemoryChunkContext(m));
	obj = ss_object_add(m, kind, m->schema, parent, name);
	MemoryContextSwitchTo(back);
	return obj;
}

/*
 * persist_texts
 *		Copy the texts of an object read in a scratch context (its properties
 *		and aux) into its model, for the scratch context to be reset: carved
 *		from the model's texts (ss_model_strdup), as its names are, since a
 *		model of 10,000 tables has some 600,000 of them, most a few bytes
 *		("true", "bigint") that a palloc each would give a chunk header and
 *		round up to a power of two.
 */
static void
persist_texts(SsObject *obj)
{
	int			n = ss_object_nslots(obj->kind);
	int			p;

	for (p = 0; p < n; p++)
		if (obj->props[p] != NULL)
			obj->props[p] = ss_model_strdup(obj->model, obj->props[p]);
	if (obj->aux != NULL)
		obj->aux = ss_model_strdup(obj->model, obj->aux);
}

/*
 * add_collation_deps
 *		Make an object of a hand-written model need the collations of the
 *		model's schema it uses, said or not: a column its collation (written
 *		unqualified), an index or constraint whose definition says COLLATE
 *		every collation of the model (there are few).
 */
static void
add_collation_deps(SsModel *m, SsObject *obj)
{
	const char *def = NULL;
	const char *p;
	ListCell   *lc;

	if (obj->kind == SS_COLUMN && obj->props[CP_COLLATION])
	{
		char	   *raw = pstrdup(obj->props[CP_COLLATION]);
		List	   *parts;
		char	   *ckey;

		if (SplitIdentifierString(raw, '.', &parts) && list_length(parts) == 1 &&
			ss_object_lookup(m, ckey = ss_make_key(SS_COLLATION, NULL, linitial(parts))))
			ss_object_add_dep(obj, ckey, SS_DEP_NORMAL);
		return;
	}
	if (obj->kind == SS_INDEX)
		def = ss_prop(obj, IP_DEFINITION);
	else if (obj->kind == SS_CONSTRAINT)
		def = ss_prop(obj, KP_DEFINITION);
	if (def == NULL)
		return;
	for (p = def; *p; p++)
		if (pg_strncasecmp(p, "collate", 7) == 0)
			break;
	if (*p == '\0')
		return;
	foreach(lc, m->objects)
	{
		SsObject   *co = lfirst(lc);

		if (co->kind == SS_COLLATION)
			ss_object_add_dep(obj, co->key, SS_DEP_NORMAL);
	}
}

/*
 * ss_models_from_jsonb
 *		The models (one per schema) of a document, checked.
 */
List *
ss_models_from_jsonb(Jsonb *doc)
{
	MemoryContext cxt = CurrentMemoryContext;
	MemoryContext parse;
	MemoryContext elem;
	List	   *top;
	List	   *models = NIL;
	List	   *pending = NIL;
	JsonbValue *v;
	ListCell   *lc;
	int			i;

	if (doc == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("schemasync model must not be NULL")));
	if (!JB_ROOT_IS_OBJECT(doc) || JB_ROOT_IS_SCALAR(doc))
		bad_model("$", "expected an object with \"format\": \"schemasync\"");
	top = object_fields(&doc->root);

	v = field_value(top, "format");
	if (v == NULL || v->type != jbvString || v->val.string.len != 10 ||
		strncmp(v->val.string.val, "schemasync", 10) != 0)
		bad_model("$.format", "expected \"schemasync\": this is not a schemasync model");
	v = field_value(top, "version");
	if (v == NULL || v->type != jbvNumeric)
		bad_model("$.version", "expected the model format version, a number");
	if (strcmp(read_prop(v, 'n', "$.version"), CppAsString2(SS_MODEL_VERSION)) != 0)
		bad_model("$.version", psprintf("unsupported model version %s; this schemasync reads version %d",
										read_prop(v, 'n', "$.version"), SS_MODEL_VERSION));
	foreach(lc, top)
	{
		SsField    *f = lfirst(lc);

		if (strcmp(f->key, "format") != 0 && strcmp(f->key, "version") != 0 &&
			strcmp(f->key, "server_version_num") != 0 && strcmp(f->key, "schemas") != 0 &&
			strcmp(f->key, "objects") != 0)
			bad_model(psprintf("$.%s", f->key), "unknown field of a model");
	}
	v = field_value(top, "server_version_num");
	if (v && v->type != jbvNumeric)
		bad_model("$.server_version_num", psprintf("expected a number, found %s", json_type_name(v)));

	v = field_value(top, "schemas");
	if (v == NULL)
		bad_model("$.schemas", "a model lists the schemas it covers");
	i = 0;
	foreach(lc, array_elems(expect_container(v, true, "$.schemas")))
	{
		char	   *path = psprintf("$.schemas[%d]", i++);
		char	   *name = expect_name(lfirst(lc), path);

		if (model_for(models, name))
			bad_model(path, psprintf("schema \"%s\" is listed twice", name));
		models = lappend(models, ss_model_create(name));
	}
	if (models == NIL)
		bad_model("$.schemas", "a model covers at least one schema");

	v = field_value(top, "objects");
	if (v == NULL)
		bad_model("$.objects", "a model has an \"objects\" array (it may be empty)");

	/*
	 * Reading an element makes several times its size of garbage (its fields
	 * as a list, paths for messages, a parse of its statement): each element
	 * is read in a context reset for the next, and what stays (the object,
	 * its texts) is made in the model's context.  Its dependencies wait in
	 * parse until every object is read.
	 */
	parse = AllocSetContextCreate(cxt, "schemasync model parse",
								  ALLOCSET_DEFAULT_SIZES);
	elem = AllocSetContextCreate(parse, "schemasync model element",
								 ALLOCSET_DEFAULT_SIZES);
	MemoryContextSwitchTo(parse);
	i = 0;
	foreach(lc, array_elems(expect_container(v, true, "$.objects")))
	{
		char	   *path;
		List	   *fields;
		JsonbValue *fv;
		char	   *kindname;
		int			kind;
		char	   *schema;
		char	   *name;
		char	   *table = NULL;
		SsModel    *m;
		SsObject   *obj;

		MemoryContextReset(elem);
		MemoryContextSwitchTo(elem);
		path = psprintf("$.objects[%d]", i++);
		fields = object_fields(expect_container(lfirst(lc), false, path));
		fv = field_value(fields, "kind");
		if (fv == NULL)
			bad_model(path, "an object needs a \"kind\" field");
		kindname = expect_string(fv, psprintf("%s.kind", path));
		kind = kind_by_name(kindname);
		if (kind < 0 || kind == SS_COLUMN)
			bad_model(psprintf("%s.kind", path),
					  psprintf("unknown kind \"%s\"; expected %s (columns are nested in their table)",
							   kindname, object_kind_names()));
		fv = field_value(fields, "schema");
		if (fv == NULL)
			bad_model(path, "an object needs a \"schema\" field");
		schema = expect_name(fv, psprintf("%s.schema", path));
		m = model_for(models, schema);
		if (m == NULL)
			bad_model(psprintf("%s.schema", path),
					  psprintf("schema \"%s\" is not listed in $.schemas", schema));
		fv = field_value(fields, "name");
		if (fv == NULL)
			bad_model(path, "an object needs a \"name\" field");
		/*
		 * A routine's name is its signature, name(argument types); a
		 * privilege object is named by the key of its object.
		 */
		if (kind == SS_FUNCTION || kind == SS_PRIVILEGE ||
			kind == SS_DEFAULT_PRIVILEGE)
			name = expect_string(fv, psprintf("%s.name", path));
		else
			name = expect_name(fv, psprintf("%s.name", path));
		fv = field_value(fields, "table");
		if (kind == SS_DOMCONSTRAINT)
		{
			if (fv != NULL)
				bad_model(psprintf("%s.table", path), psprintf("unknown field of a %s", kindname));
			fv = field_value(fields, "domain");
			if (fv == NULL)
				bad_model(path, "a domain_constraint needs a \"domain\" field");
			table = expect_name(fv, psprintf("%s.domain", path));
		}
		else if (kind == SS_CONSTRAINT || kind == SS_INDEX || kind == SS_TRIGGER ||
				 kind == SS_POLICY)
		{
			if (fv == NULL)
				bad_model(path, psprintf("a %s needs a \"table\" field", kindname));
			table = expect_name(fv, psprintf("%s.table", path));
		}
		else if (fv != NULL)
			bad_model(psprintf("%s.table", path), psprintf("unknown field of a %s", kindname));
		if (field_value(fields, "columns") && kind != SS_TABLE)
			bad_model(psprintf("%s.columns", path), psprintf("unknown field of a %s", kindname));

		/* an extension exists once per database, in one schema */
		if (kind == SS_EXTENSION)
		{
			ListCell   *mc;

			foreach(mc, models)
				if (ss_object_lookup(lfirst(mc), ss_make_key(SS_EXTENSION, NULL, name)))
					bad_model(path, psprintf("extension \"%s\" is listed twice; an extension is installed in one schema",
											 name));
		}
		obj = add_checked(m, kind, table, name, path);
		read_fields(obj, fields, path, &pending, parse);

		if (kind == SS_CONSTRAINT)
		{
			required_prop(obj, KP_DEFINITION, path);
			if (obj->props[KP_TYPE] == NULL)
				obj->props[KP_TYPE] = constraint_type_of(ss_prop(obj, KP_DEFINITION),
														 psprintf("%s.definition", path));
		}
		else if (kind == SS_DOMCONSTRAINT)
			required_prop(obj, DP_DEFINITION, path);
		else if (kind == SS_TYPE)
			check_type_fields(obj, path);
		else if (kind == SS_INDEX)
		{
			required_prop(obj, IP_DEFINITION, path);
			check_index_definition(ss_prop(obj, IP_DEFINITION), name, table,
								   psprintf("%s.definition", path));
		}
		else if (kind == SS_FUNCTION)
		{
			required_prop(obj, FP_DEFINITION, path);
			check_routine_definition(obj->props[FP_DEFINITION], name,
									 psprintf("%s.definition", path));
			if (obj->props[FP_ROUTINE] == NULL)
				obj->props[FP_ROUTINE] = pstrdup(ss_routine_of_definition(obj->props[FP_DEFINITION]));
			else if (strcmp(obj->props[FP_ROUTINE], ss_routine_of_definition(obj->props[FP_DEFINITION])) != 0)
				bad_model(psprintf("%s.routine", path),
						  psprintf("the definition creates a %s", ss_routine_of_definition(obj->props[FP_DEFINITION])));
		}
		else if (kind == SS_TRIGGER)
		{
			required_prop(obj, GP_DEFINITION, path);
			if (ss_trigger_table_offset(obj->props[GP_DEFINITION], name, table) < 0)
				bad_model(psprintf("%s.definition", path),
						  psprintf("expected CREATE [CONSTRAINT] TRIGGER %s ... ON %s ... (the table unqualified)",
								   quote_identifier(name), quote_identifier(table)));
			if (obj->props[GP_ENABLED] &&
				strcmp(obj->props[GP_ENABLED], "disabled") != 0 &&
				strcmp(obj->props[GP_ENABLED], "replica") != 0 &&
				strcmp(obj->props[GP_ENABLED], "always") != 0)
				bad_model(psprintf("%s.enabled", path), "expected \"disabled\", \"replica\" or \"always\"");
		}
		else if (kind == SS_POLICY)
			check_policy(obj, path);
		else if (kind == SS_COLLATION)
		{
			const char *prov = obj->props[LP_PROVIDER];

			if (prov == NULL)
				obj->props[LP_PROVIDER] = pstrdup("libc");
			else if (strcmp(prov, "libc") != 0 && strcmp(prov, "icu") != 0 &&
					 strcmp(prov, "builtin") != 0)
				bad_model(psprintf("%s.provider", path), "expected \"libc\", \"icu\" or \"builtin\"");
			if (obj->props[LP_LOCALE] == NULL && obj->props[LP_LC_COLLATE] == NULL &&
				obj->props[LP_LC_CTYPE] == NULL)
				bad_model(path, "a collation needs a \"locale\", or \"lc_collate\" and \"lc_ctype\"");
		}
		else if (kind == SS_SEQUENCE && obj->props[SP_OWNED_BY])
		{
			char	   *raw = pstrdup(obj->props[SP_OWNED_BY]);
			List	   *parts;

			/* "table.column", parts quoted as SQL identifiers when needed */
			if (!SplitIdentifierString(raw, '.', &parts) || list_length(parts) != 2)
				bad_model(psprintf("%s.owned_by", path), "expected \"table.column\"");
			obj->aux = ss_make_key(SS_COLUMN, linitial(parts), lsecond(parts));
			obj->props[SP_OWNED_BY] = psprintf("%s.%s", quote_identifier(linitial(parts)),
											   quote_identifier(lsecond(parts)));
		}
		else if (kind == SS_TABLE)
		{
			int			j = 0;
			ListCell   *cc;

			fv = field_value(fields, "columns");
			foreach(cc, fv == NULL ? NIL :
					array_elems(expect_container(fv, true, psprintf("%s.columns", path))))
			{
				char	   *cpath = psprintf("%s.columns[%d]", path, j++);
				List	   *cfields = object_fields(expect_container(lfirst(cc), false, cpath));
				JsonbValue *cv = field_value(cfields, "name");
				SsObject   *col;

				if (cv == NULL)
					bad_model(cpath, "a column needs a \"name\" field");
				if (field_value(cfields, "kind") || field_value(cfields, "schema") ||
					field_value(cfields, "table") || field_value(cfields, "columns"))
					bad_model(cpath, "a column has only \"name\", its properties and \"depends_on\"");
				col = add_checked(m, SS_COLUMN, name, expect_name(cv, psprintf("%s.name", cpath)), cpath);
				col->position = j;
				read_fields(col, cfields, cpath, &pending, parse);
				required_prop(col, CP_TYPE, cpath);
				if (col->props[CP_IDENTITY] &&
					strcmp(col->props[CP_IDENTITY], "always") != 0 &&
					strcmp(col->props[CP_IDENTITY], "by default") != 0)
					bad_model(psprintf("%s.identity", cpath), "expected \"always\" or \"by default\"");
				if (col->props[CP_INHERITED] &&
					strcmp(col->props[CP_INHERITED], "inherited") != 0 &&
					strcmp(col->props[CP_INHERITED], "merged") != 0)
					bad_model(psprintf("%s.inherited", cpath), "expected \"inherited\" or \"merged\"");
				persist_texts(col);
			}
		}
		persist_texts(obj);
	}
	MemoryContextSwitchTo(cxt);

	/*
	 * Every dependency must exist; it shares the key of the object it names
	 * (a copy of each key was 5 MB of a 10,000-table model).
	 */
	foreach(lc, pending)
	{
		SsPendingDeps *pd = lfirst(lc);
		ListCell   *kc;
		int			j = 0;

		foreach(kc, pd->keys)
		{
			SsObject   *target = ss_object_lookup(pd->obj->model, lfirst(kc));

			if (target == NULL)
				bad_model(psprintf("%s[%d]", pd->path, j),
						  psprintf("depends on \"%s\", which is not in schema \"%s\" of the model",
								   (char *) lfirst(kc), pd->obj->model->schema));
			ss_object_add_dep_on(pd->obj, target, SS_DEP_NORMAL);
			j++;
		}
	}
	MemoryContextDelete(parse);

	/*
	 * Every table of a sub-object must exist: its parent is looked up once,
	 * by linking it (ss_model_link_parents), not by a key made for the check.
	 */
	foreach(lc, models)
	{
		SsModel    *m = lfirst(lc);
		ListCell   *oc;

		ss_model_link_parents(m);
		foreach(oc, m->objects)
		{
			SsObject   *obj = lfirst(oc);

			add_collation_deps(m, obj);
			if (obj->kind == SS_DOMCONSTRAINT)
			{
				if (obj->parentobj == NULL ||
					!ss_streq(obj->parentobj->props[TY_TYPE_KIND], "domain"))
					bad_model("$.objects",
							  psprintf("domain_constraint \"%s\" is on domain \"%s\", which is not a domain in schema \"%s\" of the model",
									   obj->name, obj->parent, m->schema));
			}

			/*
			 * A trigger may be on another kind of relation (a view), an index
			 * on a materialized view (ss_model_link_parents looks that up).
			 */
			else if (obj->parent && obj->kind != SS_TRIGGER && obj->parentobj == NULL)
				bad_model("$.objects",
						  psprintf("%s \"%s\" is on table \"%s\", which is not in schema \"%s\" of the model",
								   ss_kind_ops[obj->kind]->name, obj->name, obj->parent, m->schema));
		}
		ss_add_type_refs(m);
		ss_model_link_deps(m);
	}
	return models;
}

/*
 * A top-level object of a document, by its key (SsObject.key), for
 * ss_model_changed_keys.
 */
typedef struct SsDocEntry
{
	const char *key;
	JsonbContainer *obj;
	bool		seen;
	char		status;
	List	   *keys;			/* ss_model_changed_keys: what differs */
} SsDocEntry;

#define SH_PREFIX ss_dochash
#define SH_ELEMENT_TYPE SsDocEntry
#define SH_KEY key
#include "strhash.h"

/*
 * element_key
 *		The key of the object a well-formed document element describes (one
 *		ss_models_from_jsonb accepted, or one the writer wrote).
 */
static char *
element_key(JsonbContainer *c)
{
	JsonbValue *kind = getKeyJsonValueFromContainer(c, "kind", 4, NULL);
	JsonbValue *name = getKeyJsonValueFromContainer(c, "name", 4, NULL);
	JsonbValue *parent = getKeyJsonValueFromContainer(c, "table", 5, NULL);
	int			k;

	if (parent == NULL)
		parent = getKeyJsonValueFromContainer(c, "domain", 6, NULL);
	Assert(kind && kind->type == jbvString && name && name->type == jbvString);
	k = kind_by_name(pnstrdup(kind->val.string.val, kind->val.string.len));
	Assert(k >= 0);
	/* an index's key leaves its table out (ss_object_add) */
	return ss_make_key(k,
					   parent && k != SS_INDEX ?
					   pnstrdup(parent->val.string.val, parent->val.string.len) : NULL,
					   pnstrdup(name->val.string.val, name->val.string.len));
}

/*
 * is_excepted
 *		Whether a key is one of a NULL-terminated list of names (or NULL).
 */
static bool
is_excepted(const char *key, int len, const char *const *except)
{
	for (; except && *except; except++)
		if (strlen(*except) == len && memcmp(*except, key, len) == 0)
			return true;
	return false;
}

/*
 * jsonb_scalars_equal
 *		Whether two JSONB scalars of the same type are equal, as
 *		compareJsonbContainers finds them: strings byte for byte (the
 *		default collation is deterministic), numbers by value.
 */
static bool
jsonb_scalars_equal(JsonbValue *a, JsonbValue *b)
{
	Assert(a->type == b->type);
	switch (a->type)
	{
		case jbvNull:
			return true;
		case jbvBool:
			return a->val.boolean == b->val.boolean;
		case jbvString:
			return a->val.string.len == b->val.string.len &&
				memcmp(a->val.string.val, b->val.string.val, a->val.string.len) == 0;
		case jbvNumeric:
			return DatumGetBool(DirectFunctionCall2(numeric_eq,
													NumericGetDatum(a->val.numeric),
													NumericGetDatum(b->val.numeric)));
		default:
			elog(ERROR, "unexpected jsonb value type %d", (int) a->type);
	}
	return false;				/* keep compiler quiet */
}

/*
 * ss_jsonb_same_fields
 *		Whether two JSONB objects have the same fields with equal values,
 *		the fields named in except (a NULL-terminated list, or NULL) left out
 *		on both sides: either may have them or not.
 */
bool
ss_jsonb_same_fields(JsonbContainer *a, JsonbContainer *b, const char *const *except)
{
	JsonbIterator *it = JsonbIteratorInit(a);
	JsonbValue	v;
	JsonbIteratorToken tok;
	int			skipped = 0;
	int			na;
	int			nb;

	if (!JsonContainerIsObject(a) || !JsonContainerIsObject(b))
		return false;
	while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
	{
		JsonbValue	key;
		JsonbValue	va;
		JsonbValue *vb;

		if (tok != WJB_KEY)
			continue;
		key = v;
		tok = JsonbIteratorNext(&it, &va, true);
		Assert(tok == WJB_VALUE);
		if (is_excepted(key.val.string.val, key.val.string.len, except))
		{
			skipped++;
			continue;
		}
		vb = getKeyJsonValueFromContainer(b, key.val.string.val,
										  key.val.string.len, NULL);
		if (vb == NULL || vb->type != va.type)
			return false;
		if (va.type == jbvBinary)
		{
			if (compareJsonbContainers(va.val.binary.data, vb->val.binary.data) != 0)
				return false;
		}
		else if (!jsonb_scalars_equal(&va, vb))
			return false;
	}
	/* b may hold the fields left out or not, but nothing else */
	na = JsonContainerSize(a) - skipped;
	nb = JsonContainerSize(b);
	for (; except && *except; except++)
		if (getKeyJsonValueFromContainer(b, *except, strlen(*except), NULL) != NULL)
			nb--;
	return na == nb;
}

/*
 * changed_columns
 *		Add to *changed the keys of the columns of a table that two "columns"
 *		arrays (either may be NULL) do not hold alike, and to *quiet those of
 *		them that differ in their comment alone; true when the columns both
 *		hold are not in the same order.
 */
static bool
changed_columns(const char *table, JsonbValue *mcols, JsonbValue *scols, List **changed,
				List **quiet)
{
	static const char *const but_comment[] = {"comment", NULL};

	ss_dochash_hash *byname = ss_dochash_create(CurrentMemoryContext, 32, NULL);
	ss_dochash_iterator it;
	SsDocEntry *e;
	ListCell   *lc;
	List	   *sorder = NIL;
	List	   *morder = NIL;
	ListCell   *sc;
	ListCell   *mc;
	bool		reordered = false;

	if (scols && scols->type == jbvBinary)
		foreach(lc, array_elems(scols->val.binary.data))
		{
			JsonbValue *v = lfirst(lc);
			JsonbValue *name = getKeyJsonValueFromContainer(v->val.binary.data, "name", 4, NULL);
			bool		found;

			e = ss_dochash_insert(byname, pnstrdup(name->val.string.val, name->val.string.len), &found);
			e->obj = v->val.binary.data;
			e->seen = false;
			/* (entries move as the table fills: keep the name) */
			sorder = lappend(sorder, (char *) e->key);
		}
	if (mcols && mcols->type == jbvBinary)
		foreach(lc, array_elems(mcols->val.binary.data))
		{
			JsonbValue *v = lfirst(lc);
			JsonbValue *nv = getKeyJsonValueFromContainer(v->val.binary.data, "name", 4, NULL);
			char	   *name = pnstrdup(nv->val.string.val, nv->val.string.len);

			e = ss_dochash_lookup(byname, name);
			if (e == NULL)
			{
				*changed = lappend(*changed, ss_make_key(SS_COLUMN, table, name));
				continue;
			}
			e->seen = true;
			morder = lappend(morder, (char *) e->key);
			if (compareJsonbContainers(v->val.binary.data, e->obj) != 0)
			{
				char	   *key = ss_make_key(SS_COLUMN, table, name);

				*changed = lappend(*changed, key);
				if (ss_jsonb_same_fields(v->val.binary.data, e->obj, but_comment))
					*quiet = lappend(*quiet, key);
			}
		}

	/* the columns both hold, in the order of each */
	sc = list_head(sorder);
	foreach(mc, morder)
	{
		while (sc != NULL && !ss_dochash_lookup(byname, lfirst(sc))->seen)
			sc = lnext(sorder, sc);
		if (sc == NULL || strcmp(lfirst(sc), lfirst(mc)) != 0)
			reordered = true;
		if (sc != NULL)
			sc = lnext(sorder, sc);
	}
	ss_dochash_start_iterate(byname, &it);
	while ((e = ss_dochash_iterate(byname, &it)) != NULL)
		if (!e->seen)
			*changed = lappend(*changed, ss_make_key(SS_COLUMN, table, e->key));
	return reordered;
}

/*
 * ss_model_changed_keys
 *		The keys of the top-level objects and columns that a document of one
 *		schema (a model) and the model cur read from its target do not hold
 *		alike, as snapshot() would write cur: those only one of them has, and
 *		those whose elements differ.  A table is listed when its element
 *		differs in more than its columns, or its columns are in another
 *		order; a column when its element differs.  Elements are compared as
 *		JSONB, so their fields' order and formatting do not matter, and their
 *		"schema" is left out (the model's schema may map to another).  The
 *		keys come in the document's order, those only cur has last.  *quiet
 *		gets those of them whose elements differ in their comment alone (a
 *		table's columns aside, and its columns in the same order): such a
 *		difference is a COMMENT statement, which re-creates nothing.
 *
 *		The target's document is not written whole (its tree of JsonbValues
 *		is about 25 MB at 1,000 tables): each object of cur is written alone,
 *		compared with the model's element of its key, and forgotten.  The
 *		comparison's hash table, lists and keys are made in a context deleted
 *		on return; only the keys returned are copied out.
 */
List *
ss_model_changed_keys(Jsonb *model, SsModel *cur, List **quiet)
{
	static const char *const but_schema[] = {"schema", NULL};
	static const char *const but_columns[] = {"schema", "columns", NULL};
	static const char *const but_comment[] = {"schema", "comment", NULL};
	static const char *const but_columns_comment[] = {"schema", "columns", "comment", NULL};

	MemoryContext cxt = CurrentMemoryContext;
	MemoryContext work = AllocSetContextCreate(cxt, "schemasync document comparison",
											   ALLOCSET_DEFAULT_SIZES);
	MemoryContext one = AllocSetContextCreate(work, "schemasync document element",
											  ALLOCSET_DEFAULT_SIZES);
	JsonbValue *mv;
	ss_dochash_hash *byk;
	SsDocEntry *e;
	List	   *mkeys = NIL;
	List	   *only_cur = NIL;
	List	   *quiets = NIL;
	List	   *result = NIL;
	ListCell   *lc;

	/* the model's elements by key */
	MemoryContextSwitchTo(work);
	mv = getKeyJsonValueFromContainer(&model->root, "objects", 7, NULL);
	Assert(mv && mv->type == jbvBinary);
	byk = ss_dochash_create(work, 1024, NULL);
	foreach(lc, array_elems(mv->val.binary.data))
	{
		JsonbValue *v = lfirst(lc);
		bool		found;

		Assert(v->type == jbvBinary);
		e = ss_dochash_insert(byk, element_key(v->val.binary.data), &found);
		e->obj = v->val.binary.data;
		e->seen = false;
		e->keys = NIL;
		mkeys = lappend(mkeys, (char *) e->key);
	}

	/* each object of cur, written alone and compared with its element */
	foreach(lc, cur->objects)
	{
		SsObject   *obj = lfirst(lc);
		Jsonb	   *elem;
		List	   *changed = NIL;
		List	   *still = NIL;
		ListCell   *kc;

		if (obj->kind == SS_COLUMN)
			continue;
		e = ss_dochash_lookup(byk, obj->key);
		if (e == NULL)
		{
			only_cur = lappend(only_cur, obj->key);
			continue;
		}
		e->seen = true;
		MemoryContextSwitchTo(one);
		elem = object_document(cur, obj);
		if (obj->kind == SS_TABLE)
		{
			bool		same = ss_jsonb_same_fields(e->obj, &elem->root, but_columns);
			bool		comment = !same &&
				ss_jsonb_same_fields(e->obj, &elem->root, but_columns_comment);
			bool		reordered = false;

			/*
			 * A table that differs in more than its columns and its comment
			 * is listed alone (all its columns follow it); else its columns
			 * are compared one by one, and a table whose comment alone
			 * differs is quiet unless its columns are in another order.
			 */
			if (same || comment)
				reordered = changed_columns(obj->name,
											getKeyJsonValueFromContainer(e->obj, "columns", 7, NULL),
											getKeyJsonValueFromContainer(&elem->root, "columns", 7, NULL),
											&changed, &still);
			if (!same || reordered)
				changed = lappend(changed, obj->key);
			if (comment && !reordered)
				still = lappend(still, obj->key);
		}
		else if (!ss_jsonb_same_fields(e->obj, &elem->root, but_schema))
		{
			changed = lappend(changed, obj->key);
			if (ss_jsonb_same_fields(e->obj, &elem->root, but_comment))
				still = lappend(still, obj->key);
		}
		MemoryContextSwitchTo(work);
		foreach(kc, changed)
			e->keys = lappend(e->keys, pstrdup(lfirst(kc)));
		foreach(kc, still)
			quiets = lappend(quiets, pstrdup(lfirst(kc)));
		MemoryContextReset(one);
	}

	/* in the document's order, then what only cur has */
	MemoryContextSwitchTo(cxt);
	foreach(lc, mkeys)
	{
		ListCell   *kc;

		e = ss_dochash_lookup(byk, lfirst(lc));
		if (!e->seen)
			result = lappend(result, pstrdup(e->key));
		else
			foreach(kc, e->keys)
				result = lappend(result, pstrdup(lfirst(kc)));
	}
	foreach(lc, only_cur)
		result = lappend(result, pstrdup(lfirst(lc)));
	*quiet = NIL;
	foreach(lc, quiets)
		*quiet = lappend(*quiet, pstrdup(lfirst(lc)));
	MemoryContextDelete(work);
	return result;
}

/*
 * ss_map_schema
 *		The target schema of a model schema under the schema_map option.
 */
const char *
ss_map_schema(SsOptions *opts, const char *schema)
{
	ListCell   *lc;

	for (lc = list_head(opts->schema_map); lc; lc = lnext(opts->schema_map, lnext(opts->schema_map, lc)))
	{
		if (strcmp(lfirst(lc), schema) == 0)
			return lfirst(lnext(opts->schema_map, lc));
	}
	return schema;
}

/*
 * The text model_fingerprint hashes, as SQL once computed it (kept below for
 * models of an unusual shape, whose result or error stays exactly SQL's):
 * the model's version, its number of schemas and its objects, each with its
 * schema replaced by the schema's place in "schemas" and its columns sorted
 * by name.
 */
static const char *const fingerprint_sql =
"SELECT pg_catalog.encode(pg_catalog.sha256(pg_catalog.convert_to(pg_catalog.jsonb_build_object("
"  'version', $1 OPERATOR(pg_catalog.->) 'version',"
"  'schemas', pg_catalog.jsonb_array_length($1 OPERATOR(pg_catalog.->) 'schemas'),"
"  'objects', coalesce(("
"   SELECT pg_catalog.jsonb_agg((o OPERATOR(pg_catalog.-) 'schema' OPERATOR(pg_catalog.-) 'columns')"
"     OPERATOR(pg_catalog.||) pg_catalog.jsonb_build_object('schema',"
"      (SELECT n FROM pg_catalog.jsonb_array_elements_text($1 OPERATOR(pg_catalog.->) 'schemas')"
"        WITH ORDINALITY x(s, n) WHERE s OPERATOR(pg_catalog.=) (o OPERATOR(pg_catalog.->>) 'schema')))"
"     OPERATOR(pg_catalog.||) CASE WHEN o OPERATOR(pg_catalog.?) 'columns'"
"      THEN pg_catalog.jsonb_build_object('columns',"
"       (SELECT coalesce(pg_catalog.jsonb_agg(c ORDER BY (c OPERATOR(pg_catalog.->>) 'name') COLLATE \"C\"),"
"                        '[]'::pg_catalog.jsonb)"
"        FROM pg_catalog.jsonb_array_elements(o OPERATOR(pg_catalog.->) 'columns') c))"
"      ELSE '{}'::pg_catalog.jsonb END"
"    ORDER BY i)"
"   FROM pg_catalog.jsonb_array_elements($1 OPERATOR(pg_catalog.->) 'objects') WITH ORDINALITY e(o, i)),"
"   '[]'::pg_catalog.jsonb))::pg_catalog.text, 'UTF8')), 'hex')";

/*
 * fingerprint_string
 *		A string value's text, NUL-terminated, or NULL for anything else (or
 *		a string holding a NUL).
 */
static char *
fingerprint_string(JsonbValue *v)
{
	if (v == NULL || v->type != jbvString ||
		memchr(v->val.string.val, '\0', v->val.string.len) != NULL)
		return NULL;
	return pnstrdup(v->val.string.val, v->val.string.len);
}

/* a column of an object and its name, for sorting */
typedef struct FpColumn
{
	char	   *name;
	JsonbValue	value;
} FpColumn;

static int
fp_column_cmp(const void *a, const void *b)
{
	return strcmp(((const FpColumn *) a)->name, ((const FpColumn *) b)->name);
}

/*
 * A key of an object as the fingerprint writes it, with its value; for the
 * keys "schema" and "columns", replaced set and the value unused:
 * fp_put_object writes what replaces them.
 */
typedef struct FpPair
{
	const char *key;
	int			len;
	JsonbValue	value;
	char		replaced;		/* 's'chema, 'c'olumns, or '\0' */
} FpPair;

/*
 * fp_pair_cmp
 *		The order of an object's keys in jsonb, and so in its text: shorter
 *		keys first, keys of one length by their bytes.
 */
static int
fp_pair_cmp(const void *a, const void *b)
{
	const FpPair *x = a;
	const FpPair *y = b;

	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	return memcmp(x->key, y->key, x->len);
}

/*
 * fp_put_value
 *		Append the text of a value as JsonbToCString writes it.
 */
static void
fp_put_value(StringInfo out, JsonbValue *v)
{
	switch (v->type)
	{
		case jbvBinary:
			(void) JsonbToCString(out, v->val.binary.data, v->val.binary.len);
			break;
		case jbvNull:
			appendStringInfoString(out, "null");
			break;
		case jbvBool:
			appendStringInfoString(out, v->val.boolean ? "true" : "false");
			break;
		case jbvString:
			escape_json(out, pnstrdup(v->val.string.val, v->val.string.len));
			break;
		case jbvNumeric:
			appendStringInfoString(out,
								   DatumGetCString(DirectFunctionCall1(numeric_out,
																	   NumericGetDatum(v->val.numeric))));
			break;
		default:
			elog(ERROR, "unexpected jsonb value type %d", (int) v->type);
	}
}

/*
 * fp_put_object
 *		Append the text of one object of the model as the fingerprint has it
 *		(without its "schema", its place in "schemas" instead; its columns
 *		sorted by name), in the text jsonb would give the object so built;
 *		or return false when its shape is not the usual one.
 */
static bool
fp_put_object(StringInfo out, JsonbContainer *obj, List *schemas)
{
	JsonbIterator *it = JsonbIteratorInit(obj);
	JsonbValue	v;
	JsonbIteratorToken tok;
	JsonbValue *sv = getKeyJsonValueFromContainer(obj, "schema", 6, NULL);
	JsonbValue *cv = getKeyJsonValueFromContainer(obj, "columns", 7, NULL);
	char	   *schema = NULL;
	int			place = 0;
	FpPair	   *pairs;
	int			npairs = 0;
	FpColumn   *cols = NULL;
	int			ncols = 0;
	int			i;
	ListCell   *lc;

	if (sv != NULL && (schema = fingerprint_string(sv)) == NULL)
		return false;
	if (cv != NULL && (cv->type != jbvBinary || !JsonContainerIsArray(cv->val.binary.data)))
		return false;

	/* its own keys, but "schema" and "columns", and those two replaced */
	pairs = palloc(sizeof(FpPair) * (JsonContainerSize(obj) + 2));
	while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
	{
		FpPair	   *p;

		if (tok != WJB_KEY)
			continue;
		p = &pairs[npairs];
		p->key = v.val.string.val;
		p->len = v.val.string.len;
		p->replaced = '\0';
		(void) JsonbIteratorNext(&it, &p->value, true);
		if ((p->len == 6 && memcmp(p->key, "schema", 6) == 0) ||
			(p->len == 7 && memcmp(p->key, "columns", 7) == 0))
			continue;
		npairs++;
	}
	pairs[npairs].key = "schema";
	pairs[npairs].len = 6;
	pairs[npairs++].replaced = 's';
	if (cv != NULL)
	{
		pairs[npairs].key = "columns";
		pairs[npairs].len = 7;
		pairs[npairs++].replaced = 'c';
	}
	qsort(pairs, npairs, sizeof(FpPair), fp_pair_cmp);

	/* the schema's place in "schemas" (the last, as SQL's lookup), or null */
	foreach(lc, schemas)
		if (schema != NULL && strcmp(lfirst(lc), schema) == 0)
			place = foreach_current_index(lc) + 1;

	/* the columns, by name */
	if (cv != NULL)
	{
		JsonbContainer *arr = cv->val.binary.data;

		cols = palloc(sizeof(FpColumn) * Max(JsonContainerSize(arr), 1));
		it = JsonbIteratorInit(arr);
		while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
		{
			if (tok != WJB_ELEM)
				continue;
			if (v.type != jbvBinary || !JsonContainerIsObject(v.val.binary.data) ||
				(cols[ncols].name = fingerprint_string(getKeyJsonValueFromContainer(v.val.binary.data,
																				 "name", 4, NULL))) == NULL)
				return false;
			cols[ncols++].value = v;
		}
		qsort(cols, ncols, sizeof(FpColumn), fp_column_cmp);
		for (i = 1; i < ncols; i++)
			if (strcmp(cols[i - 1].name, cols[i].name) == 0)
				return false;	/* SQL's order of equal names is not fixed */
	}

	appendStringInfoChar(out, '{');
	for (i = 0; i < npairs; i++)
	{
		FpPair	   *p = &pairs[i];

		if (i > 0)
			appendBinaryStringInfo(out, ", ", 2);
		escape_json(out, pnstrdup(p->key, p->len));
		appendBinaryStringInfo(out, ": ", 2);
		if (p->replaced == 's')
		{
			if (place > 0)
				appendStringInfo(out, "%d", place);
			else
				appendStringInfoString(out, "null");
		}
		else if (p->replaced == 'c')
		{
			int			c;

			appendStringInfoChar(out, '[');
			for (c = 0; c < ncols; c++)
			{
				if (c > 0)
					appendBinaryStringInfo(out, ", ", 2);
				fp_put_value(out, &cols[c].value);
			}
			appendStringInfoChar(out, ']');
		}
		else
			fp_put_value(out, &p->value);
	}
	appendStringInfoChar(out, '}');
	return true;
}

/*
 * fp_flush
 *		Hash what out holds of the fingerprint's text, and empty it.
 */
static void
fp_flush(StringInfo out, void *sha)
{
	ss_sha256_update(sha, out->data, out->len);
	resetStringInfo(out);
}

/*
 * fingerprint_digest
 *		The SHA-256 of the text model_fingerprint hashes (fingerprint_sql),
 *		into sum, or false when the model's shape is not the usual one (then
 *		SQL computes it).  The text is written as it goes, in the order and
 *		form jsonb's output gives the document SQL builds ({"objects": ...,
 *		"schemas": ..., "version": ...}), instead of building that document
 *		(which took two thirds of the time at 1,000 tables), and hashed an
 *		object at a time instead of being kept whole: the text of a
 *		10,000-table model is 30 MB, and an apply that records its history
 *		fingerprints two.
 */
static bool
fingerprint_digest(Jsonb *model, uint8 *sum)
{
	StringInfoData out;
	void	   *sha;
	JsonbValue	v;
	JsonbValue *version;
	JsonbValue *sv;
	JsonbValue *ov;
	JsonbIterator *it;
	JsonbIteratorToken tok;
	List	   *schemas = NIL;
	bool		first = true;
	bool		usual = true;

	if (!JB_ROOT_IS_OBJECT(model) || GetDatabaseEncoding() != PG_UTF8)
		return false;
	version = getKeyJsonValueFromContainer(&model->root, "version", 7, NULL);
	sv = getKeyJsonValueFromContainer(&model->root, "schemas", 7, NULL);
	ov = getKeyJsonValueFromContainer(&model->root, "objects", 7, NULL);
	if ((sv != NULL && (sv->type != jbvBinary || !JsonContainerIsArray(sv->val.binary.data))) ||
		(ov != NULL && (ov->type != jbvBinary || !JsonContainerIsArray(ov->val.binary.data))))
		return false;
	if (sv != NULL)
	{
		it = JsonbIteratorInit(sv->val.binary.data);
		while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
		{
			char	   *s;
			ListCell   *lc;

			if (tok != WJB_ELEM)
				continue;
			if ((s = fingerprint_string(&v)) == NULL)
				return false;
			foreach(lc, schemas)
				if (strcmp(lfirst(lc), s) == 0)
					return false;	/* SQL fails: more than one row */
			schemas = lappend(schemas, s);
		}
	}

	sha = ss_sha256_begin();
	initStringInfo(&out);
	appendStringInfoString(&out, "{\"objects\": [");
	if (ov != NULL)
	{
		it = JsonbIteratorInit(ov->val.binary.data);
		while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
		{
			if (tok != WJB_ELEM)
				continue;
			if (v.type != jbvBinary || !JsonContainerIsObject(v.val.binary.data))
			{
				usual = false;
				break;
			}
			if (!first)
				appendBinaryStringInfo(&out, ", ", 2);
			first = false;
			if (!fp_put_object(&out, v.val.binary.data, schemas))
			{
				usual = false;
				break;
			}
			if (out.len >= 65536)
				fp_flush(&out, sha);
		}
	}
	if (usual)
	{
		appendStringInfoString(&out, "], \"schemas\": ");
		if (sv != NULL)
			appendStringInfo(&out, "%d", JsonContainerSize(sv->val.binary.data));
		else
			appendStringInfoString(&out, "null");
		appendStringInfoString(&out, ", \"version\": ");
		if (version != NULL)
			fp_put_value(&out, version);
		else
			appendStringInfoString(&out, "null");
		appendStringInfoChar(&out, '}');
		fp_flush(&out, sha);
	}
	/* the context is freed either way */
	ss_sha256_final(sha, sum);
	pfree(out.data);
	return usual;
}

PG_FUNCTION_INFO_V1(schemasync_model_fingerprint);

/*
 * schemasync_model_fingerprint
 *		model_fingerprint(model jsonb) RETURNS text: the SHA-256 (hex) of
 *		fingerprint_sql's text, from fingerprint_digest.  Built in C (the SQL
 *		took about a second at 1,000 tables, twice per apply that records
 *		history); a model of an unusual shape goes through the SQL, so its
 *		result or error is the same as ever.
 */
Datum
schemasync_model_fingerprint(PG_FUNCTION_ARGS)
{
	Jsonb	   *model = PG_GETARG_JSONB_P(0);
	uint8		sum[PG_SHA256_DIGEST_LENGTH];
	char		hex[PG_SHA256_DIGEST_LENGTH * 2 + 1];
	Oid			argtypes[1] = {JSONBOID};
	Datum		args[1];
	char	   *result;
	MemoryContext caller = CurrentMemoryContext;

	if (fingerprint_digest(model, sum))
	{
		hex[hex_encode((const char *) sum, sizeof(sum), hex)] = '\0';
		PG_RETURN_TEXT_P(cstring_to_text(hex));
	}

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	args[0] = JsonbPGetDatum(model);
	if (SPI_execute_with_args(fingerprint_sql, 1, argtypes, args, NULL, true, 1) != SPI_OK_SELECT ||
		SPI_processed != 1)
		elog(ERROR, "could not compute a model fingerprint");
	result = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
	result = result ? MemoryContextStrdup(caller, result) : NULL;
	SPI_finish();
	if (result == NULL)
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(cstring_to_text(result));
}
