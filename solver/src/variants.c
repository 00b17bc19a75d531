/* Variant files (docs/formats.md, "Variant files"): reading with every check, applying options to the
   base network, drawing virtual patients.

   An option is applied to the YAML of the base network, not to the parsed mesh: the edited document
   is written out as text and read back with the network reader, so a variant is checked exactly like a
   network file and may use everything a network file may (units, defaults, landmarks). */
#define _POSIX_C_SOURCE 200809L /* open_memstream */
#include "variants.h"
#include "yamlio.h"
#include "units.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

/* Published percentages are rounded: prevalences must sum to 1 within this. */
#define PREVALENCE_TOL 1e-4

struct _n_HavocVariantsText {
  yaml_document_t doc; /* the variant file */
  PetscBool       loaded;
  char           *network; /* the base network file's text */
};

static const char *const top_keys[]    = {"format", "description", "network", "groups"};
static const char *const group_keys[]  = {"name", "source", "description", "options"};
static const char *const option_keys[] = {"name", "prevalence", "description", "remove", "add", "add_nodes", "set", "outlet"};

#define COUNT(a)   ((PetscInt)(sizeof(a) / sizeof((a)[0])))
#define NAME_CHARS "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-"

/* A vessel an option changes (removes, adds, sets, gives an outlet), for the check that no two groups
   change the same vessel. */
typedef struct {
  const char *name;
  PetscInt    group, line;
} Touch;

typedef struct {
  MPI_Comm         comm;
  const char      *label;
  HavocVariants    v;
  yaml_document_t *doc;
  Touch           *touch;
  PetscInt         ntouch, maxtouch;
  PetscInt        *new_ids; /* node ids added by options, over all groups */
  PetscInt         nnew_ids, maxnew_ids;
} Reader;

#define CheckAt(cond, r, line, fmt, ...) HavocCheckUser(cond, (r)->comm, "%s:%d: " fmt, (r)->label, (int)(line), ##__VA_ARGS__)

/* The text of a scalar entry `key` of a mapping, or NULL. */
static const char *FindText(yaml_document_t *doc, const yaml_node_t *map, const char *key)
{
  const yaml_node_t *value = HavocYamlFind(doc, map, key);
  return value && value->type == YAML_SCALAR_NODE ? HavocYamlText(value) : NULL;
}

static PetscErrorCode GetString(Reader *r, const yaml_node_t *node, const char *ctx, const char *key, char buf[], size_t len)
{
  PetscFunctionBeginUser;
  CheckAt(node->type == YAML_SCALAR_NODE, r, HavocYamlLine(node), "%s: %s: expected a single value, got %s", ctx, key, HavocYamlKind(node));
  CheckAt(strlen(HavocYamlText(node)) < len, r, HavocYamlLine(node), "%s: %s: longer than %d characters", ctx, key, (int)len - 1);
  PetscCall(PetscStrncpy(buf, HavocYamlText(node), len));
  PetscFunctionReturn(0);
}

static PetscErrorCode GetName(Reader *r, const yaml_node_t *item, const char *what, char name[HAVOC_NAME_LEN])
{
  const yaml_node_t *node = HavocYamlFind(r->doc, item, "name");

  PetscFunctionBeginUser;
  CheckAt(node, r, HavocYamlLine(item), "%s: missing 'name'", what);
  PetscCall(GetString(r, node, what, "name", name, HAVOC_NAME_LEN));
  CheckAt(name[0] && strspn(name, NAME_CHARS) == strlen(name), r, HavocYamlLine(node), "%s '%s': a name may only contain letters, digits, '_' and '-'", what, name);
  PetscFunctionReturn(0);
}

static PetscErrorCode GetList(Reader *r, const yaml_node_t *map, const char *ctx, const char *key, PetscBool required, yaml_node_t **list)
{
  PetscFunctionBeginUser;
  *list = HavocYamlFind(r->doc, map, key);
  CheckAt(*list || !required, r, HavocYamlLine(map), "%s: missing '%s'", ctx, key);
  if (!*list) PetscFunctionReturn(0);
  CheckAt((*list)->type == YAML_SEQUENCE_NODE, r, HavocYamlLine(*list), "%s: %s: expected a list, got %s", ctx, key, HavocYamlKind(*list));
  CheckAt((PetscInt)HavocYamlListLength(*list) > 0, r, HavocYamlLine(*list), "%s: %s: the list is empty", ctx, key);
  PetscFunctionReturn(0);
}

static PetscErrorCode AddTouch(Reader *r, const char *name, PetscInt group, PetscInt line)
{
  PetscFunctionBeginUser;
  if (r->ntouch == r->maxtouch) {
    r->maxtouch = 2 * r->maxtouch + 16;
    PetscCall(PetscRealloc(r->maxtouch * sizeof(Touch), &r->touch));
  }
  r->touch[r->ntouch].name  = name;
  r->touch[r->ntouch].group = group;
  r->touch[r->ntouch].line  = line;
  r->ntouch++;
  PetscFunctionReturn(0);
}

/* ---------------------------------------------------------------------------------------------- */
/* Applying options to the base network's YAML */

/* Copies a node of one document into another; returns the new node's id (0: out of memory). */
static int CopyNode(yaml_document_t *dst, yaml_document_t *src, int id)
{
  const yaml_node_t *node = yaml_document_get_node(src, id);
  int                copy = 0;

  if (node->type == YAML_SCALAR_NODE) return yaml_document_add_scalar(dst, NULL, node->data.scalar.value, (int)node->data.scalar.length, YAML_DOUBLE_QUOTED_SCALAR_STYLE);
  if (node->type == YAML_SEQUENCE_NODE) {
    if (!(copy = yaml_document_add_sequence(dst, NULL, YAML_FLOW_SEQUENCE_STYLE))) return 0;
    for (yaml_node_item_t *item = node->data.sequence.items.start; item < node->data.sequence.items.top; item++) {
      const int c = CopyNode(dst, src, *item);
      if (!c || !yaml_document_append_sequence_item(dst, copy, c)) return 0;
    }
    return copy;
  }
  if (!(copy = yaml_document_add_mapping(dst, NULL, YAML_FLOW_MAPPING_STYLE))) return 0;
  for (yaml_node_pair_t *pair = node->data.mapping.pairs.start; pair < node->data.mapping.pairs.top; pair++) {
    const int k = CopyNode(dst, src, pair->key), v = k ? CopyNode(dst, src, pair->value) : 0;
    if (!v || !yaml_document_append_mapping_pair(dst, copy, k, v)) return 0;
  }
  return copy;
}

/* The id of the value of key in the root mapping (a list the network requires), or 0. */
static int RootList(yaml_document_t *doc, const char *key)
{
  const yaml_node_t *root = yaml_document_get_root_node(doc);

  for (yaml_node_pair_t *pair = root->data.mapping.pairs.start; pair < root->data.mapping.pairs.top; pair++) {
    const yaml_node_t *k = yaml_document_get_node(doc, pair->key), *v = yaml_document_get_node(doc, pair->value);
    if (k->type == YAML_SCALAR_NODE && !strcmp(HavocYamlText(k), key) && v->type == YAML_SEQUENCE_NODE) return pair->value;
  }
  return 0;
}

/* The id of the vessel entry named name, or 0. */
static int FindVesselEntry(yaml_document_t *doc, int vessels, const char *name)
{
  const yaml_node_t *list = yaml_document_get_node(doc, vessels);

  for (yaml_node_item_t *item = list->data.sequence.items.start; item < list->data.sequence.items.top; item++) {
    const char *n = FindText(doc, yaml_document_get_node(doc, *item), "name");
    if (n && !strcmp(n, name)) return *item;
  }
  return 0;
}

/* Sets key to a copy of src's node value_id in the mapping entry (replacing what it had). */
static PetscErrorCode SetKey(yaml_document_t *doc, int entry, const char *key, yaml_document_t *src, int value_id)
{
  const int    value = CopyNode(doc, src, value_id);
  yaml_node_t *map;
  int          key_id;

  PetscFunctionBeginUser;
  PetscCheck(value, PETSC_COMM_SELF, PETSC_ERR_MEM, "out of memory editing a network");
  map = yaml_document_get_node(doc, entry);
  for (yaml_node_pair_t *pair = map->data.mapping.pairs.start; pair < map->data.mapping.pairs.top; pair++) {
    const yaml_node_t *k = yaml_document_get_node(doc, pair->key);
    if (k->type == YAML_SCALAR_NODE && !strcmp(HavocYamlText(k), key)) {
      pair->value = value;
      PetscFunctionReturn(0);
    }
  }
  key_id = yaml_document_add_scalar(doc, NULL, (yaml_char_t *)key, -1, YAML_PLAIN_SCALAR_STYLE);
  PetscCheck(key_id && yaml_document_append_mapping_pair(doc, entry, key_id, value), PETSC_COMM_SELF, PETSC_ERR_MEM, "out of memory editing a network");
  PetscFunctionReturn(0);
}

static PetscErrorCode AppendCopies(yaml_document_t *doc, int list, yaml_document_t *src, const yaml_node_t *items)
{
  PetscFunctionBeginUser;
  for (PetscInt i = 0; i < (PetscInt)HavocYamlListLength(items); i++) {
    const int copy = CopyNode(doc, src, items->data.sequence.items.start[i]);
    PetscCheck(copy && yaml_document_append_sequence_item(doc, list, copy), PETSC_COMM_SELF, PETSC_ERR_MEM, "out of memory editing a network");
  }
  PetscFunctionReturn(0);
}

/* Applies one option (already checked) to the network document. */
static PetscErrorCode ApplyOption(yaml_document_t *net, yaml_document_t *src, const yaml_node_t *option)
{
  const int          vessels = RootList(net, "vessels"), nodes = RootList(net, "nodes");
  const yaml_node_t *remove = HavocYamlFind(src, option, "remove"), *add = HavocYamlFind(src, option, "add"), *add_nodes = HavocYamlFind(src, option, "add_nodes");
  const char        *map_keys[] = {"set", "outlet"};

  PetscFunctionBeginUser;
  if (remove) {
    yaml_node_t      *list = yaml_document_get_node(net, vessels);
    yaml_node_item_t *kept = list->data.sequence.items.start;

    for (yaml_node_item_t *item = list->data.sequence.items.start; item < list->data.sequence.items.top; item++) {
      const char *name = FindText(net, yaml_document_get_node(net, *item), "name");
      PetscBool   drop = PETSC_FALSE;
      for (PetscInt i = 0; name && i < (PetscInt)HavocYamlListLength(remove) && !drop; i++)
        drop = (PetscBool)!strcmp(name, HavocYamlText(HavocYamlListItem(src, remove, i)));
      if (!drop) *kept++ = *item;
    }
    list->data.sequence.items.top = kept;
  }
  if (add_nodes) PetscCall(AppendCopies(net, nodes, src, add_nodes));
  if (add) PetscCall(AppendCopies(net, vessels, src, add));
  for (int m = 0; m < 2; m++) {
    const yaml_node_t *map = HavocYamlFind(src, option, map_keys[m]);
    if (!map) continue;
    for (yaml_node_pair_t *pair = map->data.mapping.pairs.start; pair < map->data.mapping.pairs.top; pair++) {
      const int          entry  = FindVesselEntry(net, vessels, HavocYamlText(yaml_document_get_node(src, pair->key)));
      const yaml_node_t *values = yaml_document_get_node(src, pair->value);

      PetscCheck(entry, PETSC_COMM_SELF, PETSC_ERR_PLIB, "vessel '%s' vanished", HavocYamlText(yaml_document_get_node(src, pair->key)));
      if (m) PetscCall(SetKey(net, entry, "outlet", src, pair->value));
      else
        for (yaml_node_pair_t *kv = values->data.mapping.pairs.start; kv < values->data.mapping.pairs.top; kv++)
          PetscCall(SetKey(net, entry, HavocYamlText(yaml_document_get_node(src, kv->key)), src, kv->value));
    }
  }
  PetscFunctionReturn(0);
}

static PetscBool ParseId(const char *text, long long *id)
{
  char *end;

  if (!text) return PETSC_FALSE;
  errno = 0;
  *id   = strtoll(text, &end, 10);
  return (PetscBool)(end != text && !*end && !errno);
}

static int CompareLongLong(const void *a, const void *b)
{
  const long long x = *(const long long *)a, y = *(const long long *)b;
  return (x > y) - (x < y);
}

/* Nodes that no vessel or inlet names any more are dropped: removing a vessel removes its free ends. */
static PetscErrorCode DropOrphanNodes(yaml_document_t *net)
{
  const int          nodes = RootList(net, "nodes"), vessels = RootList(net, "vessels"), inlets = RootList(net, "inlets");
  const yaml_node_t *vl = yaml_document_get_node(net, vessels), *il = inlets ? yaml_document_get_node(net, inlets) : NULL;
  yaml_node_t       *nl = yaml_document_get_node(net, nodes);
  long long         *used;
  PetscInt           n = 0, max = 2 * (PetscInt)HavocYamlListLength(vl) + (il ? (PetscInt)HavocYamlListLength(il) : 0);
  yaml_node_item_t  *kept = nl->data.sequence.items.start;

  PetscFunctionBeginUser;
  PetscCall(PetscMalloc1(max, &used));
  for (PetscInt i = 0; i < (PetscInt)HavocYamlListLength(vl); i++) {
    const yaml_node_t *v = HavocYamlListItem(net, vl, i);
    if (ParseId(FindText(net, v, "from"), &used[n])) n++;
    if (ParseId(FindText(net, v, "to"), &used[n])) n++;
  }
  for (PetscInt i = 0; il && i < (PetscInt)HavocYamlListLength(il); i++)
    if (ParseId(FindText(net, HavocYamlListItem(net, il, i), "node"), &used[n])) n++;
  qsort(used, (size_t)n, sizeof(*used), CompareLongLong);
  for (yaml_node_item_t *item = nl->data.sequence.items.start; item < nl->data.sequence.items.top; item++) {
    long long id;
    if (!ParseId(FindText(net, yaml_document_get_node(net, *item), "id"), &id) || bsearch(&id, used, (size_t)n, sizeof(*used), CompareLongLong)) *kept++ = *item;
  }
  nl->data.sequence.items.top = kept;
  PetscCall(PetscFree(used));
  PetscFunctionReturn(0);
}

/* Writes a node in flow style; every scalar double-quoted, which the network reader reads as it would
   the plain original. */
static void EmitFlow(FILE *f, yaml_document_t *doc, int id)
{
  const yaml_node_t *node = yaml_document_get_node(doc, id);

  if (node->type == YAML_SCALAR_NODE) {
    fputc('"', f);
    for (size_t i = 0; i < node->data.scalar.length; i++) {
      const unsigned char c = node->data.scalar.value[i];
      if (c == '"' || c == '\\') fprintf(f, "\\%c", c);
      else if (c < 0x20 || c == 0x7f) fprintf(f, "\\x%02x", c);
      else fputc(c, f);
    }
    fputc('"', f);
  } else if (node->type == YAML_SEQUENCE_NODE) {
    fputc('[', f);
    for (yaml_node_item_t *item = node->data.sequence.items.start; item < node->data.sequence.items.top; item++) {
      if (item > node->data.sequence.items.start) fputs(", ", f);
      EmitFlow(f, doc, *item);
    }
    fputc(']', f);
  } else {
    fputc('{', f);
    for (yaml_node_pair_t *pair = node->data.mapping.pairs.start; pair < node->data.mapping.pairs.top; pair++) {
      if (pair > node->data.mapping.pairs.start) fputs(", ", f);
      EmitFlow(f, doc, pair->key);
      fputs(": ", f);
      EmitFlow(f, doc, pair->value);
    }
    fputc('}', f);
  }
}

/* The document as text: top-level keys one per line, list entries one per line. */
static PetscErrorCode Emit(yaml_document_t *doc, char **text)
{
  const yaml_node_t *root = yaml_document_get_root_node(doc);
  char              *buf  = NULL;
  size_t             len  = 0;
  FILE              *f    = open_memstream(&buf, &len);
  PetscErrorCode     ierr;

  PetscFunctionBeginUser;
  PetscCheck(f, PETSC_COMM_SELF, PETSC_ERR_MEM, "cannot open a memory stream: %s", strerror(errno));
  for (yaml_node_pair_t *pair = root->data.mapping.pairs.start; pair < root->data.mapping.pairs.top; pair++) {
    const yaml_node_t *value = yaml_document_get_node(doc, pair->value);
    EmitFlow(f, doc, pair->key);
    if (value->type == YAML_SEQUENCE_NODE && (PetscInt)HavocYamlListLength(value)) {
      fputs(":\n", f);
      for (yaml_node_item_t *item = value->data.sequence.items.start; item < value->data.sequence.items.top; item++) {
        fputs("  - ", f);
        EmitFlow(f, doc, *item);
        fputc('\n', f);
      }
    } else {
      fputs(": ", f);
      EmitFlow(f, doc, pair->value);
      fputc('\n', f);
    }
  }
  fclose(f);
  ierr = PetscStrallocpy(buf ? buf : "", text);
  free(buf);
  PetscCall(ierr);
  PetscFunctionReturn(0);
}

/* The base network's text with the chosen options applied. */
static PetscErrorCode ApplyText(HavocVariants v, const PetscInt choice[], char **text)
{
  yaml_parser_t   parser;
  yaml_document_t net;
  PetscErrorCode  ierr = 0;

  PetscFunctionBeginUser;
  PetscCheck(yaml_parser_initialize(&parser), PETSC_COMM_SELF, PETSC_ERR_MEM, "cannot initialize the YAML parser");
  yaml_parser_set_input_string(&parser, (const unsigned char *)v->text->network, strlen(v->text->network));
  ierr = !yaml_parser_load(&parser, &net);
  yaml_parser_delete(&parser);
  PetscCheck(!ierr, PETSC_COMM_SELF, PETSC_ERR_PLIB, "the base network '%s' no longer parses", v->network);
  for (PetscInt g = 0; choice && g < v->ngroups && !ierr; g++)
    if (choice[g] >= 0) ierr = ApplyOption(&net, &v->text->doc, yaml_document_get_node(&v->text->doc, (int)v->options[v->groups[g].first + choice[g]].node));
  if (!ierr) ierr = DropOrphanNodes(&net);
  if (!ierr) ierr = Emit(&net, text);
  yaml_document_delete(&net);
  PetscCall(ierr);
  PetscFunctionReturn(0);
}

typedef struct {
  char msg[1024];
} Captured;

static PetscErrorCode CaptureError(MPI_Comm comm, int line, const char *fun, const char *file, PetscErrorCode n, PetscErrorType p, const char *mess, void *ctx)
{
  if (p == PETSC_ERROR_INITIAL) snprintf(((Captured *)ctx)->msg, sizeof(((Captured *)ctx)->msg), "%s", mess ? mess : "");
  return n;
}

/* Reads an applied network; a user error comes back in msg without its place in the generated text
   (its lines are not the user's), other errors are raised. */
static PetscErrorCode ReadApplied(HavocVariants v, MPI_Comm comm, const char *text, HavocMesh *mesh, PetscBool *ok, char msg[], size_t len)
{
  Captured       cap = {""};
  PetscErrorCode ierr;
  const char    *m;
  size_t         n = strlen(v->network);

  PetscFunctionBeginUser;
  *mesh = NULL;
  PetscCall(PetscPushErrorHandler(CaptureError, &cap));
  ierr = HavocMeshReadString(comm, v->network, text, mesh);
  PetscCall(PetscPopErrorHandler());
  *ok = (PetscBool)!ierr;
  PetscCheck(!ierr || ierr == PETSC_ERR_USER_INPUT, comm, ierr, "%s", cap.msg);
  if (!ierr) PetscFunctionReturn(0);
  m = cap.msg;
  if (!strncmp(m, v->network, n) && m[n] == ':') {
    m += n + 1 + strspn(m + n + 1, "0123456789");
    if (*m == ':') m++;
    m += strspn(m, " ");
  }
  PetscCall(PetscStrncpy(msg, m, len));
  PetscFunctionReturn(0);
}

/* "group: option, group: option" for the options chosen. */
static void DescribeChoice(HavocVariants v, const PetscInt choice[], char buf[], size_t len)
{
  size_t n = 0;

  buf[0] = 0;
  for (PetscInt g = 0; choice && g < v->ngroups && n < len; g++)
    if (choice[g] >= 0) n += (size_t)snprintf(buf + n, len - n, "%s%s: %s", n ? ", " : "", v->groups[g].name, v->options[v->groups[g].first + choice[g]].name);
  if (!buf[0]) snprintf(buf, len, "no option");
}

PetscErrorCode HavocVariantsApply(HavocVariants v, const PetscInt choice[], HavocMesh *mesh)
{
  char     *text, msg[1024], what[1024];
  PetscBool ok;

  PetscFunctionBeginUser;
  PetscCall(ApplyText(v, choice, &text));
  PetscCall(ReadApplied(v, v->comm, text, mesh, &ok, msg, sizeof(msg)));
  PetscCall(PetscFree(text));
  DescribeChoice(v, choice, what, sizeof(what));
  HavocCheckUser(ok, v->comm, "%s: %s: the network these give is invalid: %s", v->path, what, msg);
  PetscFunctionReturn(0);
}

/* ---------------------------------------------------------------------------------------------- */
/* Reading */

static PetscErrorCode ParseFormat(Reader *r, const yaml_node_t *root)
{
  const yaml_node_t *key, *value;
  char               name[64], extra;
  int                version = 0, n;

  PetscFunctionBeginUser;
  key = yaml_document_get_node(r->doc, root->data.mapping.pairs.start->key);
  CheckAt(key->type == YAML_SCALAR_NODE && !strcmp(HavocYamlText(key), "format"), r, HavocYamlLine(key), "the first key must be 'format: %s %d', got '%s'", HAVOC_VARIANTS_FORMAT, HAVOC_VARIANTS_FORMAT_VERSION, key->type == YAML_SCALAR_NODE ? HavocYamlText(key) : HavocYamlKind(key));
  value = yaml_document_get_node(r->doc, root->data.mapping.pairs.start->value);
  CheckAt(value->type == YAML_SCALAR_NODE, r, HavocYamlLine(value), "format: expected a single value, got %s", HavocYamlKind(value));
  n = sscanf(HavocYamlText(value), "%63s %d %c", name, &version, &extra);
  CheckAt(n >= 1 && !strcmp(name, HAVOC_VARIANTS_FORMAT), r, HavocYamlLine(value), "unknown format '%s', expected '%s %d'", HavocYamlText(value), HAVOC_VARIANTS_FORMAT, HAVOC_VARIANTS_FORMAT_VERSION);
  CheckAt(n == 2 && version == HAVOC_VARIANTS_FORMAT_VERSION, r, HavocYamlLine(value), "format '%s' is not supported, expected '%s %d'", HavocYamlText(value), HAVOC_VARIANTS_FORMAT, HAVOC_VARIANTS_FORMAT_VERSION);
  PetscFunctionReturn(0);
}

/* The base network: relative to the directory of the variant file. */
static PetscErrorCode ReadNetwork(Reader *r, const yaml_node_t *node)
{
  HavocVariants v     = r->v;
  const char   *slash = strrchr(r->label, '/');
  char          given[PETSC_MAX_PATH_LEN];
  size_t        len;

  PetscFunctionBeginUser;
  PetscCall(GetString(r, node, "variants", "network", given, sizeof(given)));
  CheckAt(given[0], r, HavocYamlLine(node), "network: expected the path of the network file the variants apply to");
  if (given[0] == '/' || !slash) PetscCall(PetscStrncpy(v->network, given, sizeof(v->network)));
  else CheckAt(snprintf(v->network, sizeof(v->network), "%.*s%s", (int)(slash - r->label + 1), r->label, given) < (int)sizeof(v->network), r, HavocYamlLine(node), "network: path too long");
  PetscCall(HavocReadFile(r->comm, v->network, "network file", &v->text->network, &len));
  PetscCall(HavocMeshReadString(r->comm, v->network, v->text->network, &v->base));
  PetscFunctionReturn(0);
}

/* Whether name is in a list of scalars. */
static PetscBool InList(yaml_document_t *doc, const yaml_node_t *list, const char *name)
{
  for (PetscInt i = 0; list && i < (PetscInt)HavocYamlListLength(list); i++)
    if (!strcmp(HavocYamlText(HavocYamlListItem(doc, list, i)), name)) return PETSC_TRUE;
  return PETSC_FALSE;
}

/* The name of an added vessel entry, or NULL. */
static const char *AddedName(yaml_document_t *doc, const yaml_node_t *add, PetscInt i)
{
  return FindText(doc, HavocYamlListItem(doc, add, i), "name");
}

static PetscBool Added(yaml_document_t *doc, const yaml_node_t *add, const char *name)
{
  for (PetscInt i = 0; add && i < (PetscInt)HavocYamlListLength(add); i++) {
    const char *n = AddedName(doc, add, i);
    if (n && !strcmp(n, name)) return PETSC_TRUE;
  }
  return PETSC_FALSE;
}

/* Checks the operations of one option against the base network and records what it changes. */
static PetscErrorCode CheckOperations(Reader *r, PetscInt g, const yaml_node_t *item, const char *ctx)
{
  HavocVariants      v = r->v;
  yaml_node_t       *remove, *add, *add_nodes;
  const char        *map_keys[] = {"set", "outlet"};
  PetscInt           nkeys, e;
  const char *const *keys;

  PetscFunctionBeginUser;
  PetscCall(HavocMeshVesselKeys(&nkeys, &keys));
  PetscCall(GetList(r, item, ctx, "remove", PETSC_FALSE, &remove));
  for (PetscInt i = 0; remove && i < (PetscInt)HavocYamlListLength(remove); i++) {
    const yaml_node_t *name = HavocYamlListItem(r->doc, remove, i);
    CheckAt(name->type == YAML_SCALAR_NODE, r, HavocYamlLine(name), "%s: remove: expected vessel names, got %s", ctx, HavocYamlKind(name));
    PetscCall(HavocMeshFindVessel(v->base, HavocYamlText(name), &e));
    CheckAt(e >= 0, r, HavocYamlLine(name), "%s: remove: no vessel '%s' in %s", ctx, HavocYamlText(name), v->network);
    for (PetscInt j = 0; j < i; j++)
      CheckAt(strcmp(HavocYamlText(HavocYamlListItem(r->doc, remove, j)), HavocYamlText(name)), r, HavocYamlLine(name), "%s: remove: vessel '%s' named twice", ctx, HavocYamlText(name));
    PetscCall(AddTouch(r, HavocYamlText(name), g, HavocYamlLine(name)));
  }

  PetscCall(GetList(r, item, ctx, "add_nodes", PETSC_FALSE, &add_nodes));
  for (PetscInt i = 0; add_nodes && i < (PetscInt)HavocYamlListLength(add_nodes); i++) {
    const yaml_node_t *node = HavocYamlListItem(r->doc, add_nodes, i);
    long long          id;
    PetscBool          taken = PETSC_FALSE;

    CheckAt(node->type == YAML_MAPPING_NODE, r, HavocYamlLine(node), "%s: add_nodes: expected node entries {id, x, y, z}, got %s", ctx, HavocYamlKind(node));
    CheckAt(ParseId(FindText(r->doc, node, "id"), &id), r, HavocYamlLine(node), "%s: add_nodes: every node needs an integer 'id'", ctx);
    for (PetscInt n = 0; n < v->base->nnodes; n++)
      if (v->base->nodes[n].id == id) taken = PETSC_TRUE;
    CheckAt(!taken, r, HavocYamlLine(node), "%s: add_nodes: node %lld is already in %s", ctx, id, v->network);
    for (PetscInt n = 0; n < r->nnew_ids; n++)
      CheckAt(r->new_ids[n] != id, r, HavocYamlLine(node), "%s: add_nodes: node %lld is added by another option too; give every added node its own id", ctx, id);
    if (r->nnew_ids == r->maxnew_ids) {
      r->maxnew_ids = 2 * r->maxnew_ids + 16;
      PetscCall(PetscRealloc(r->maxnew_ids * sizeof(PetscInt), &r->new_ids));
    }
    r->new_ids[r->nnew_ids++] = (PetscInt)id;
  }

  PetscCall(GetList(r, item, ctx, "add", PETSC_FALSE, &add));
  for (PetscInt i = 0; add && i < (PetscInt)HavocYamlListLength(add); i++) {
    const yaml_node_t *entry = HavocYamlListItem(r->doc, add, i);
    const char        *name  = AddedName(r->doc, add, i);

    CheckAt(entry->type == YAML_MAPPING_NODE, r, HavocYamlLine(entry), "%s: add: expected vessel entries as in a network file, got %s", ctx, HavocYamlKind(entry));
    CheckAt(name, r, HavocYamlLine(entry), "%s: add: every vessel needs a 'name'", ctx);
    PetscCall(HavocMeshFindVessel(v->base, name, &e));
    CheckAt(e < 0 || InList(r->doc, remove, name), r, HavocYamlLine(entry), "%s: add: vessel '%s' is already in %s (remove it in the same option to replace it)", ctx, name, v->network);
    for (PetscInt t = 0; t < r->ntouch; t++)
      CheckAt(strcmp(r->touch[t].name, name) || e >= 0, r, HavocYamlLine(entry), "%s: add: vessel '%s' is also added at line %" PetscInt_FMT, ctx, name, r->touch[t].line);
    PetscCall(AddTouch(r, name, g, HavocYamlLine(entry)));
  }

  for (int m = 0; m < 2; m++) {
    const yaml_node_t *map = HavocYamlFind(r->doc, item, map_keys[m]);

    if (!map) continue;
    CheckAt(map->type == YAML_MAPPING_NODE, r, HavocYamlLine(map), "%s: %s: expected a mapping {vessel: {%s}}, got %s", ctx, map_keys[m], m ? "model: ..." : "key: value, ...", HavocYamlKind(map));
    for (yaml_node_pair_t *pair = map->data.mapping.pairs.start; pair < map->data.mapping.pairs.top; pair++) {
      const yaml_node_t *name = yaml_document_get_node(r->doc, pair->key), *values = yaml_document_get_node(r->doc, pair->value);

      CheckAt(name->type == YAML_SCALAR_NODE, r, HavocYamlLine(name), "%s: %s: expected vessel names as keys", ctx, map_keys[m]);
      PetscCall(HavocMeshFindVessel(v->base, HavocYamlText(name), &e));
      CheckAt(e >= 0 || Added(r->doc, add, HavocYamlText(name)), r, HavocYamlLine(name), "%s: %s: no vessel '%s' in %s", ctx, map_keys[m], HavocYamlText(name), v->network);
      CheckAt(!InList(r->doc, remove, HavocYamlText(name)) || Added(r->doc, add, HavocYamlText(name)), r, HavocYamlLine(name), "%s: %s: vessel '%s' is removed by this option", ctx, map_keys[m], HavocYamlText(name));
      CheckAt(values->type == YAML_MAPPING_NODE, r, HavocYamlLine(values), "%s: %s: %s: expected a mapping {%s}, got %s", ctx, map_keys[m], HavocYamlText(name), m ? "model: NAME, parameters" : "key: value, ...", HavocYamlKind(values));
      for (yaml_node_pair_t *kv = values->data.mapping.pairs.start; !m && kv < values->data.mapping.pairs.top; kv++) {
        const yaml_node_t *key   = yaml_document_get_node(r->doc, kv->key);
        PetscBool          known = PETSC_FALSE;

        CheckAt(key->type == YAML_SCALAR_NODE, r, HavocYamlLine(key), "%s: set: %s: expected vessel keys", ctx, HavocYamlText(name));
        for (PetscInt k = 0; k < nkeys; k++)
          if (!strcmp(keys[k], HavocYamlText(key))) known = PETSC_TRUE;
        CheckAt(known && strcmp(HavocYamlText(key), "name"), r, HavocYamlLine(key), "%s: set: %s: '%s' is not a key a vessel's entry may change", ctx, HavocYamlText(name), HavocYamlText(key));
      }
      if (e >= 0) PetscCall(AddTouch(r, HavocYamlText(name), g, HavocYamlLine(name)));
    }
  }
  PetscFunctionReturn(0);
}

static PetscErrorCode ParseOption(Reader *r, PetscInt g, const yaml_node_t *item, HavocVariantOption *o)
{
  HavocVariantGroup *group = &r->v->groups[g];
  const yaml_node_t *prevalence;
  char               ctx[2 * HAVOC_NAME_LEN + 32], err[256];
  double             p;

  PetscFunctionBeginUser;
  PetscCall(PetscSNPrintf(ctx, sizeof(ctx), "group '%s': option", group->name));
  PetscCall(HavocYamlCheckKeys(r->comm, r->label, r->doc, item, ctx, option_keys, COUNT(option_keys)));
  PetscCall(GetName(r, item, ctx, o->name));
  PetscCall(PetscSNPrintf(ctx, sizeof(ctx), "group '%s', option '%s'", group->name, o->name));
  o->line = HavocYamlLine(item);
  o->node = (PetscInt)(item - r->doc->nodes.start) + 1;
  for (HavocVariantOption *other = r->v->options + group->first; other < o; other++)
    CheckAt(strcmp(other->name, o->name), r, o->line, "%s: name already used at line %" PetscInt_FMT, ctx, other->line);
  prevalence = HavocYamlFind(r->doc, item, "prevalence");
  CheckAt(prevalence, r, o->line, "%s: missing 'prevalence' (its fraction of the population, 0 to 1)", ctx);
  CheckAt(prevalence->type == YAML_SCALAR_NODE, r, HavocYamlLine(prevalence), "%s: prevalence: expected a number, got %s", ctx, HavocYamlKind(prevalence));
  CheckAt(!HavocQuantityParse(HavocYamlText(prevalence), "", "", &p, err, sizeof(err)), r, HavocYamlLine(prevalence), "%s: prevalence: %s", ctx, err);
  CheckAt(p >= 0 && p <= 1, r, HavocYamlLine(prevalence), "%s: prevalence must be in [0, 1] (a fraction, not a percentage), got '%s'", ctx, HavocYamlText(prevalence));
  o->prevalence = p;
  PetscCall(CheckOperations(r, g, item, ctx));
  PetscFunctionReturn(0);
}

static PetscErrorCode ParseGroups(Reader *r, const yaml_node_t *list)
{
  HavocVariants v        = r->v;
  PetscInt      noptions = 0;

  PetscFunctionBeginUser;
  for (PetscInt g = 0; g < (PetscInt)HavocYamlListLength(list); g++) {
    const yaml_node_t *options = HavocYamlFind(r->doc, HavocYamlListItem(r->doc, list, g), "options");
    if (options && options->type == YAML_SEQUENCE_NODE) noptions += (PetscInt)HavocYamlListLength(options);
  }
  PetscCall(PetscCalloc2((PetscInt)HavocYamlListLength(list), &v->groups, noptions, &v->options));
  for (PetscInt g = 0; g < (PetscInt)HavocYamlListLength(list); g++) {
    const yaml_node_t *item  = HavocYamlListItem(r->doc, list, g), *source;
    HavocVariantGroup *group = &v->groups[g];
    yaml_node_t       *options;
    char               ctx[HAVOC_NAME_LEN + 16];

    PetscCall(HavocYamlCheckKeys(r->comm, r->label, r->doc, item, "group", group_keys, COUNT(group_keys)));
    PetscCall(GetName(r, item, "group", group->name));
    PetscCall(PetscSNPrintf(ctx, sizeof(ctx), "group '%s'", group->name));
    group->line = HavocYamlLine(item);
    for (PetscInt h = 0; h < g; h++)
      CheckAt(strcmp(v->groups[h].name, group->name), r, group->line, "%s: name already used at line %" PetscInt_FMT, ctx, v->groups[h].line);
    source = HavocYamlFind(r->doc, item, "source");
    CheckAt(source, r, group->line, "%s: missing 'source' (the study the prevalences come from)", ctx);
    PetscCall(GetString(r, source, ctx, "source", group->source, sizeof(group->source)));
    PetscCall(GetList(r, item, ctx, "options", PETSC_TRUE, &options));
    group->first    = v->noptions;
    group->noptions = (PetscInt)HavocYamlListLength(options);
    v->ngroups      = g + 1;
    for (PetscInt k = 0; k < group->noptions; k++) {
      PetscCall(ParseOption(r, g, HavocYamlListItem(r->doc, options, k), &v->options[v->noptions]));
      v->noptions++;
      group->total += v->options[v->noptions - 1].prevalence;
    }
    CheckAt(PetscAbsReal(group->total - 1) <= PREVALENCE_TOL, r, group->line, "%s: the prevalences of its options sum to %g, not 1 (normalize them)", ctx, (double)group->total);
  }
  for (PetscInt i = 0; i < r->ntouch; i++)
    for (PetscInt j = 0; j < i; j++)
      CheckAt(r->touch[i].group == r->touch[j].group || strcmp(r->touch[i].name, r->touch[j].name), r, r->touch[i].line, "group '%s': vessel '%s' is also changed by group '%s' (line %" PetscInt_FMT "); two groups may not change the same vessel", v->groups[r->touch[i].group].name, r->touch[i].name, v->groups[r->touch[j].group].name, r->touch[j].line);
  PetscFunctionReturn(0);
}

/* Every option alone must give a valid network. */
static PetscErrorCode CheckEachOption(Reader *r)
{
  HavocVariants v = r->v;
  PetscInt     *choice;
  char          msg[1024];

  PetscFunctionBeginUser;
  PetscCall(PetscMalloc1(v->ngroups, &choice));
  for (PetscInt g = 0; g < v->ngroups; g++)
    choice[g] = -1;
  for (PetscInt g = 0; g < v->ngroups; g++) {
    for (PetscInt k = 0; k < v->groups[g].noptions; k++) {
      const HavocVariantOption *o = &v->options[v->groups[g].first + k];
      HavocMesh                 mesh;
      char                     *text;
      PetscBool                 ok;

      choice[g] = k;
      PetscCall(ApplyText(v, choice, &text));
      PetscCall(ReadApplied(v, r->comm, text, &mesh, &ok, msg, sizeof(msg)));
      PetscCall(PetscFree(text));
      PetscCall(HavocMeshDestroy(&mesh));
      if (!ok) PetscCall(PetscFree(choice));
      CheckAt(ok, r, o->line, "group '%s', option '%s': the network it gives is invalid: %s", v->groups[g].name, o->name, msg);
    }
    choice[g] = -1;
  }
  PetscCall(PetscFree(choice));
  PetscFunctionReturn(0);
}

static PetscErrorCode LoadDocument(Reader *r, const char *text)
{
  long line;
  char problem[256];
  int  rc;

  PetscFunctionBeginUser;
  rc                 = HavocYamlLoad(text, strlen(text), r->doc, &line, problem, sizeof(problem));
  r->v->text->loaded = (PetscBool)(rc == HAVOC_YAML_OK);
  CheckAt(rc != HAVOC_YAML_SYNTAX, r, (int)line, "invalid YAML: %s", problem);
  CheckAt(rc != HAVOC_YAML_SECOND, r, (int)line, "a second YAML document; a variant file holds one");
  PetscFunctionReturn(0);
}

static PetscErrorCode ReaderRun(Reader *r, const char *text)
{
  const yaml_node_t *root, *network;
  yaml_node_t       *groups;

  PetscFunctionBeginUser;
  PetscCall(HavocRegisterAll());
  PetscCall(LoadDocument(r, text));
  root = yaml_document_get_root_node(r->doc);
  CheckAt(root, r, 1, "empty file, expected 'format: %s %d' and the variants", HAVOC_VARIANTS_FORMAT, HAVOC_VARIANTS_FORMAT_VERSION);
  CheckAt(root->type == YAML_MAPPING_NODE && root->data.mapping.pairs.top > root->data.mapping.pairs.start, r, HavocYamlLine(root), "expected a mapping that starts with 'format: %s %d', got %s", HAVOC_VARIANTS_FORMAT, HAVOC_VARIANTS_FORMAT_VERSION, HavocYamlKind(root));
  PetscCall(ParseFormat(r, root));
  PetscCall(HavocYamlCheckKeys(r->comm, r->label, r->doc, root, "variants", top_keys, COUNT(top_keys)));
  network = HavocYamlFind(r->doc, root, "network");
  CheckAt(network, r, HavocYamlLine(root), "missing 'network': the network file the variants apply to");
  PetscCall(ReadNetwork(r, network));
  PetscCall(GetList(r, root, "variants", "groups", PETSC_TRUE, &groups));
  PetscCall(ParseGroups(r, groups));
  PetscCall(CheckEachOption(r));
  PetscFunctionReturn(0);
}

PetscErrorCode HavocVariantsReadString(MPI_Comm comm, const char label[], const char text[], HavocVariants *variants)
{
  Reader         r;
  HavocVariants  v;
  PetscErrorCode ierr;

  PetscFunctionBeginUser;
  *variants = NULL;
  PetscCall(PetscNew(&v));
  PetscCall(PetscNew(&v->text));
  v->comm = comm;
  PetscCall(PetscStrncpy(v->path, label, sizeof(v->path)));
  PetscCall(PetscMemzero(&r, sizeof(r)));
  r.comm  = comm;
  r.label = label;
  r.v     = v;
  r.doc   = &v->text->doc;
  /* Not PetscCall: the reader's allocations must be released on the error path too. */
  ierr = ReaderRun(&r, text);
  PetscCall(PetscFree(r.touch));
  PetscCall(PetscFree(r.new_ids));
  if (ierr) PetscCall(HavocVariantsDestroy(&v));
  PetscCall(ierr);
  *variants = v;
  PetscFunctionReturn(0);
}

PetscErrorCode HavocVariantsRead(MPI_Comm comm, const char path[], HavocVariants *variants)
{
  char          *text;
  size_t         len;
  PetscErrorCode ierr;

  PetscFunctionBeginUser;
  PetscCall(HavocReadFile(comm, path, "variant file", &text, &len));
  ierr = HavocVariantsReadString(comm, path, text, variants);
  PetscCall(PetscFree(text));
  PetscCall(ierr);
  PetscFunctionReturn(0);
}

PetscErrorCode HavocVariantsDestroy(HavocVariants *variants)
{
  HavocVariants v = *variants;

  PetscFunctionBeginUser;
  if (!v) PetscFunctionReturn(0);
  if (v->text->loaded) yaml_document_delete(&v->text->doc);
  PetscCall(PetscFree(v->text->network));
  PetscCall(PetscFree(v->text));
  PetscCall(PetscFree2(v->groups, v->options));
  PetscCall(HavocMeshDestroy(&v->base));
  PetscCall(PetscFree(*variants));
  PetscFunctionReturn(0);
}

PetscErrorCode HavocVariantsFindGroup(HavocVariants v, const char name[], PetscInt *group)
{
  PetscFunctionBeginUser;
  *group = -1;
  for (PetscInt g = 0; g < v->ngroups && *group < 0; g++)
    if (!strcmp(v->groups[g].name, name)) *group = g;
  PetscFunctionReturn(0);
}

/* ---------------------------------------------------------------------------------------------- */
/* Virtual patients */

PetscErrorCode HavocVariantsDraw(HavocVariants v, HavocRng *rng, PetscInt choice[])
{
  PetscFunctionBeginUser;
  for (PetscInt g = 0; g < v->ngroups; g++) {
    const HavocVariantGroup *group = &v->groups[g];
    const PetscReal          u     = HavocRngUniform(rng, 0, group->total);
    PetscReal                sum   = 0;

    /* The last option with a non-zero prevalence takes what rounding leaves past the sum. */
    choice[g] = -1;
    for (PetscInt k = 0; k < group->noptions; k++) {
      const PetscReal p = v->options[group->first + k].prevalence;
      if (p <= 0) continue;
      choice[g] = k;
      sum += p;
      if (u < sum) break;
    }
  }
  PetscFunctionReturn(0);
}

static PetscReal Clamp(PetscReal x, const PetscReal range[2])
{
  return PetscMin(range[1], PetscMax(range[0], x));
}

PetscErrorCode HavocMeshDrawWithinRanges(HavocMesh mesh, HavocRng *rng, PetscInt *nradii, PetscInt *nlengths)
{
  PetscFunctionBeginUser;
  *nradii = *nlengths = 0;
  for (PetscInt e = 0; e < mesh->nvessels; e++) {
    HavocMeshVessel *v = &mesh->vessels[e];

    if (v->r_range[1] > 0) {
      const PetscReal r = Clamp(HavocRngUniform(rng, v->r_range[0], v->r_range[1]), v->r_range), s = r / v->r_prox;

      v->r_dist = v->r_dist == v->r_prox ? r : v->r_dist * s;
      v->r_prox = r;
      if (v->E > 0) {
        v->h *= s;
        v->beta       = HavocTubeBeta(v->E, v->h);
        v->gamma_visc = 2.0 / 3.0 * PetscSqrtReal(PETSC_PI) * v->phi * v->h;
      }
      (*nradii)++;
    }
    if (v->L_range[1] > 0) {
      v->length = Clamp(HavocRngUniform(rng, v->L_range[0], v->L_range[1]), v->L_range);
      (*nlengths)++;
    }
  }
  PetscFunctionReturn(0);
}

PetscErrorCode HavocVariantsSample(HavocVariants v, unsigned long long seed, PetscInt choice[], HavocMesh *mesh)
{
  HavocRng  rng = {seed};
  HavocMesh drawn;
  PetscInt  nradii, nlengths;
  char     *text, name[HAVOC_NAME_LEN + 32];

  PetscFunctionBeginUser;
  PetscCall(HavocVariantsDraw(v, &rng, choice));
  PetscCall(HavocVariantsApply(v, choice, &drawn));
  PetscCall(HavocMeshDrawWithinRanges(drawn, &rng, &nradii, &nlengths));
  snprintf(name, sizeof(name), "%s-seed-%llu", v->base->name, seed);
  PetscCall(PetscStrncpy(drawn->name, name, sizeof(drawn->name)));
  snprintf(drawn->description, sizeof(drawn->description), "virtual patient, seed %llu, of %s", seed, v->base->name);
  PetscCall(HavocMeshWriteString(drawn, &text));
  PetscCall(HavocMeshDestroy(&drawn));
  /* Read back, so that what is returned is exactly what a file of this text gives. */
  PetscCall(HavocMeshReadString(v->comm, v->network, text, mesh));
  PetscCall(PetscFree(text));
  PetscFunctionReturn(0);
}
