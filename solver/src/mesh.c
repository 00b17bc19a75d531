/* Network files (docs/formats.md, "Network files"): reading with every documented check, writing, and
   the summary of `havoc mesh info`. */
#define _POSIX_C_SOURCE 200809L /* open_memstream */
#include "mesh.h"
#include "yamlio.h"
#include "units.h"

#include <petscviewer.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

/* The vessel quantities, in the order of the first entries of vessel_keys[]. */
enum {
  Q_LENGTH,
  Q_RADIUS,
  Q_RADIUS_PROX,
  Q_RADIUS_DIST,
  Q_E,
  Q_H,
  Q_BETA,
  Q_P_REF,
  Q_P_EXT,
  Q_PHI,
  Q_ZETA,
  NQUANTITY
};

/* The quantities, then territory (the last key `defaults` may set), then the keys only a vessel has. */
static const char *const vessel_keys[] = {"length", "radius", "radius_prox", "radius_dist", "E", "h", "beta", "reference_pressure", "external_pressure", "wall_viscosity", "zeta", "territory", "name", "from", "to", "points", "outlet", "radius_range", "length_range"};
#define COUNT(a)      ((PetscInt)(sizeof(a) / sizeof((a)[0])))
#define Q_TERRITORY   NQUANTITY
#define NDEFAULT_KEYS (NQUANTITY + 1)

static const struct {
  const char *unit; /* of a bare number */
  PetscReal   lo;   /* admissible: > lo (lo_open) or >= lo */
  PetscBool   lo_open;
} quantity[NQUANTITY] = {
  [Q_LENGTH]      = {"mm", 0, PETSC_TRUE},
  [Q_RADIUS]      = {"mm", 0, PETSC_TRUE},
  [Q_RADIUS_PROX] = {"mm", 0, PETSC_TRUE},
  [Q_RADIUS_DIST] = {"mm", 0, PETSC_TRUE},
  [Q_E]           = {"Pa", 0, PETSC_TRUE},
  [Q_H]           = {"mm", 0, PETSC_TRUE},
  [Q_BETA]        = {"Pa m", 0, PETSC_TRUE},
  [Q_P_REF]       = {"Pa", PETSC_NINFINITY, PETSC_FALSE},
  [Q_P_EXT]       = {"Pa", PETSC_NINFINITY, PETSC_FALSE},
  [Q_PHI]         = {"Pa s", 0, PETSC_FALSE},
  [Q_ZETA]        = {"", 0, PETSC_FALSE},
};

/* Pairs of keys that exclude each other. A vessel that sets one does not take the other from `defaults`,
   so that `defaults: {E: 700 kPa}` does not clash with a vessel that gives beta. */
static const int exclusive[][2] = {
  {Q_RADIUS, Q_RADIUS_PROX},
  {Q_RADIUS, Q_RADIUS_DIST},
  {Q_BETA, Q_E},
  {Q_BETA, Q_H},
};

static const char *const top_keys[]       = {"format", "name", "description", "defaults", "landmarks", "territories", "nodes", "inlets", "vessels"};
static const char *const node_keys[]      = {"id", "x", "y", "z", "at", "dx", "dy", "dz"};
static const char *const inlet_keys[]     = {"node", "name", "scale"};
static const char *const landmark_keys[]  = {"name", "x", "y", "z"};
static const char *const territory_keys[] = {"name", "tissue", "seeds", "polygon", "area"};

const char *const HavocTissueNames[HAVOC_NTISSUES] = {"skin", "retina", "choroid", "brain", "other"};

#define NAME_CHARS "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-"

#define DEFAULT_ZETA 9.0

/* Everything the reader owns until the mesh is complete, so that a bad file leaks nothing. */
typedef struct {
  MPI_Comm        comm;
  const char     *label;
  yaml_document_t doc;
  HavocMesh       mesh;
  yaml_node_t    *defaults[NDEFAULT_KEYS];
  PetscInt       *sorted_ids, *sorted_nodes; /* node ids in increasing order, and their node indices */
  PetscInt       *adj_start, *adj_vessel;    /* vessels at each node */
  PetscInt       *queue;
  PetscBool      *reached;
  PetscBool       has_territories; /* the file has a 'territories' section */
} Reader;

/* Every message names the file and the line of the offending entry. */
#define CheckAt(cond, r, line, fmt, ...) HavocCheckUser(cond, (r)->comm, "%s:%d: " fmt, (r)->label, (int)(line), ##__VA_ARGS__)

static PetscErrorCode GetText(Reader *r, const yaml_node_t *node, const char *ctx, const char *key, const char **text)
{
  PetscFunctionBeginUser;
  CheckAt(node->type == YAML_SCALAR_NODE, r, HavocYamlLine(node), "%s: %s: expected a single value, got %s", ctx, key, HavocYamlKind(node));
  *text = HavocYamlText(node);
  PetscFunctionReturn(0);
}

static PetscErrorCode GetString(Reader *r, const yaml_node_t *node, const char *ctx, const char *key, char buf[], size_t len)
{
  const char *text;

  PetscFunctionBeginUser;
  PetscCall(GetText(r, node, ctx, key, &text));
  CheckAt(strlen(text) < len, r, HavocYamlLine(node), "%s: %s: longer than %d characters", ctx, key, (int)len - 1);
  PetscCall(PetscStrncpy(buf, text, len));
  PetscFunctionReturn(0);
}

static PetscErrorCode GetInt(Reader *r, const yaml_node_t *node, const char *ctx, const char *key, PetscInt *value)
{
  const char *text;
  char       *end;
  long long   v;

  PetscFunctionBeginUser;
  PetscCall(GetText(r, node, ctx, key, &text));
  errno = 0;
  v     = strtoll(text, &end, 10);
  CheckAt(end != text && !*end && !errno && v >= PETSC_MIN_INT && v <= PETSC_MAX_INT, r, HavocYamlLine(node), "%s: %s: expected an integer, got '%s'", ctx, key, text);
  *value = (PetscInt)v;
  PetscFunctionReturn(0);
}

static PetscErrorCode GetQuantity(Reader *r, const yaml_node_t *node, const char *ctx, const char *key, const char *unit, PetscReal *value)
{
  const char *text;
  char        err[256];
  double      v;

  PetscFunctionBeginUser;
  PetscCall(GetText(r, node, ctx, key, &text));
  CheckAt(!HavocQuantityParse(text, unit, unit, &v, err, sizeof(err)), r, HavocYamlLine(node), "%s: %s: %s", ctx, key, err);
  *value = v;
  PetscFunctionReturn(0);
}

/* Numbers in messages and summaries go through the C library: PETSc's printf writes 0 as "0.". */
static const char *Num(PetscReal v, char buf[32])
{
  snprintf(buf, 32, "%g", (double)v);
  return buf;
}

static PetscErrorCode CheckRange(Reader *r, const yaml_node_t *node, const char *ctx, const char *key, PetscReal v, PetscReal lo, PetscBool lo_open, PetscReal hi)
{
  const PetscBool ok = (PetscBool)((lo_open ? v > lo : v >= lo) && v <= hi);
  char            lo_text[32], hi_text[32];

  PetscFunctionBeginUser;
  if (hi >= PETSC_INFINITY) CheckAt(ok, r, HavocYamlLine(node), "%s: %s must be %s %s, got '%s'", ctx, key, lo_open ? ">" : ">=", Num(lo, lo_text), HavocYamlText(node));
  else CheckAt(ok, r, HavocYamlLine(node), "%s: %s must be in %c%s, %s], got '%s'", ctx, key, lo_open ? '(' : '[', Num(lo, lo_text), Num(hi, hi_text), HavocYamlText(node));
  PetscFunctionReturn(0);
}

/* A required list with at least one entry. */
static PetscErrorCode GetList(Reader *r, const yaml_node_t *root, const char *key, const char *entry, yaml_node_t **list)
{
  PetscFunctionBeginUser;
  *list = HavocYamlFind(&r->doc, root, key);
  CheckAt(*list, r, HavocYamlLine(root), "missing '%s': a network needs at least one %s", key, entry);
  CheckAt((*list)->type == YAML_SEQUENCE_NODE, r, HavocYamlLine(*list), "%s: expected a list, got %s", key, HavocYamlKind(*list));
  CheckAt((PetscInt)HavocYamlListLength(*list) > 0, r, HavocYamlLine(*list), "%s: the list is empty, a network needs at least one %s", key, entry);
  PetscFunctionReturn(0);
}

/* An optional list: NULL when the key is absent; when given, a list with at least one entry. */
static PetscErrorCode GetOptionalList(Reader *r, const yaml_node_t *root, const char *key, const char *entry, yaml_node_t **list)
{
  PetscFunctionBeginUser;
  *list = HavocYamlFind(&r->doc, root, key);
  if (!*list) PetscFunctionReturn(0);
  CheckAt((*list)->type == YAML_SEQUENCE_NODE, r, HavocYamlLine(*list), "%s: expected a list, got %s", key, HavocYamlKind(*list));
  CheckAt((PetscInt)HavocYamlListLength(*list) > 0, r, HavocYamlLine(*list), "%s: the list is empty; give at least one %s or leave '%s' out", key, entry, key);
  PetscFunctionReturn(0);
}

/* The required name of a landmark or territory: letters, digits, '_' and '-', like a vessel's. */
static PetscErrorCode GetName(Reader *r, const yaml_node_t *item, const char *what, char name[HAVOC_NAME_LEN])
{
  const yaml_node_t *node = HavocYamlFind(&r->doc, item, "name");

  PetscFunctionBeginUser;
  CheckAt(node, r, HavocYamlLine(item), "%s: missing 'name'", what);
  PetscCall(GetString(r, node, what, "name", name, HAVOC_NAME_LEN));
  CheckAt(name[0] && strspn(name, NAME_CHARS) == strlen(name), r, HavocYamlLine(node), "%s '%s': a name may only contain letters, digits, '_' and '-'", what, name);
  PetscFunctionReturn(0);
}

static PetscErrorCode FindLandmark(Reader *r, const yaml_node_t *node, const char *ctx, const char *key, PetscInt *index)
{
  const char *name;

  PetscFunctionBeginUser;
  PetscCall(GetText(r, node, ctx, key, &name));
  PetscCall(HavocMeshFindLandmark(r->mesh, name, index));
  CheckAt(*index >= 0, r, HavocYamlLine(node), "%s: %s: no landmark '%s'%s", ctx, key, name, r->mesh->nlandmarks ? "" : " (the file has no 'landmarks')");
  PetscFunctionReturn(0);
}

/* A list [a, b, ...] of n quantities in unit. */
static PetscErrorCode GetQuantityList(Reader *r, const yaml_node_t *list, const char *ctx, const char *key, const char *what, PetscInt n, const char *unit, PetscReal value[])
{
  PetscFunctionBeginUser;
  CheckAt(list->type == YAML_SEQUENCE_NODE && (PetscInt)HavocYamlListLength(list) == n, r, HavocYamlLine(list), "%s: %s: expected %s", ctx, key, what);
  for (PetscInt k = 0; k < n; k++)
    PetscCall(GetQuantity(r, HavocYamlListItem(&r->doc, list, k), ctx, key, unit, &value[k]));
  PetscFunctionReturn(0);
}

static PetscErrorCode FindNode(Reader *r, const yaml_node_t *node, const char *ctx, const char *key, PetscInt *index)
{
  PetscInt id = 0, loc;

  PetscFunctionBeginUser;
  PetscCall(GetInt(r, node, ctx, key, &id));
  PetscCall(PetscFindInt(id, r->mesh->nnodes, r->sorted_ids, &loc));
  CheckAt(loc >= 0, r, HavocYamlLine(node), "%s: %s: no node has id %" PetscInt_FMT, ctx, key, id);
  *index = r->sorted_nodes[loc];
  PetscFunctionReturn(0);
}

/* The first two entries with the same name, by position in the file; *second < 0 when all differ. */
static PetscErrorCode FindDuplicate(PetscInt n, const char *names[], PetscInt *first, PetscInt *second)
{
  PetscInt *perm;

  PetscFunctionBeginUser;
  *first = *second = -1;
  PetscCall(PetscMalloc1(n, &perm));
  for (PetscInt i = 0; i < n; i++)
    perm[i] = i;
  PetscCall(PetscSortStrWithPermutation(n, names, perm));
  for (PetscInt i = 0; i + 1 < n; i++) {
    const PetscInt a = PetscMin(perm[i], perm[i + 1]), b = PetscMax(perm[i], perm[i + 1]);
    if (strcmp(names[a], names[b]) || (*second >= 0 && b >= *second)) continue;
    *first  = a;
    *second = b;
  }
  PetscCall(PetscFree(perm));
  PetscFunctionReturn(0);
}

static PetscErrorCode ParseFormat(Reader *r, const yaml_node_t *root)
{
  const yaml_node_t *key, *value;
  const char        *text;
  char               name[64], extra;
  int                version = 0, n;

  PetscFunctionBeginUser;
  key = yaml_document_get_node(&r->doc, root->data.mapping.pairs.start->key);
  CheckAt(key->type == YAML_SCALAR_NODE && !strcmp(HavocYamlText(key), "format"), r, HavocYamlLine(key), "the first key must be 'format: %s %d', got '%s'", HAVOC_NETWORK_FORMAT, HAVOC_NETWORK_FORMAT_VERSION, key->type == YAML_SCALAR_NODE ? HavocYamlText(key) : HavocYamlKind(key));
  value = yaml_document_get_node(&r->doc, root->data.mapping.pairs.start->value);
  PetscCall(GetText(r, value, "network", "format", &text));
  n = sscanf(text, "%63s %d %c", name, &version, &extra);
  CheckAt(n >= 1 && !strcmp(name, HAVOC_NETWORK_FORMAT), r, HavocYamlLine(value), "unknown format '%s', expected '%s %d'", text, HAVOC_NETWORK_FORMAT, HAVOC_NETWORK_FORMAT_VERSION);
  CheckAt(n == 2 && version == HAVOC_NETWORK_FORMAT_VERSION, r, HavocYamlLine(value), "format '%s' is not supported, expected '%s %d'", text, HAVOC_NETWORK_FORMAT, HAVOC_NETWORK_FORMAT_VERSION);
  PetscFunctionReturn(0);
}

/* Checks the given quantities of a vessel or of `defaults` and converts them to SI. */
static PetscErrorCode ParseQuantities(Reader *r, yaml_node_t *const given[], const char *ctx, PetscReal value[])
{
  PetscFunctionBeginUser;
  for (PetscInt k = 0; k < COUNT(exclusive); k++) {
    const yaml_node_t *a = given[exclusive[k][0]], *b = given[exclusive[k][1]];
    CheckAt(!a || !b, r, HavocYamlLine(a), "%s: give '%s' or '%s', not both", ctx, vessel_keys[exclusive[k][0]], vessel_keys[exclusive[k][1]]);
  }
  for (PetscInt q = 0; q < NQUANTITY; q++) {
    if (!given[q]) continue;
    PetscCall(GetQuantity(r, given[q], ctx, vessel_keys[q], quantity[q].unit, &value[q]));
    PetscCall(CheckRange(r, given[q], ctx, vessel_keys[q], value[q], quantity[q].lo, quantity[q].lo_open, PETSC_INFINITY));
  }
  PetscFunctionReturn(0);
}

static PetscErrorCode ParseDefaults(Reader *r, const yaml_node_t *map)
{
  PetscReal value[NQUANTITY];
  char      territory[HAVOC_NAME_LEN];

  PetscFunctionBeginUser;
  PetscCall(HavocYamlCheckKeys(r->comm, r->label, &r->doc, map, "defaults", vessel_keys, NDEFAULT_KEYS));
  for (PetscInt q = 0; q < NDEFAULT_KEYS; q++)
    r->defaults[q] = HavocYamlFind(&r->doc, map, vessel_keys[q]);
  PetscCall(ParseQuantities(r, r->defaults, "defaults", value));
  if (r->defaults[Q_TERRITORY]) PetscCall(GetString(r, r->defaults[Q_TERRITORY], "defaults", "territory", territory, sizeof(territory)));
  PetscFunctionReturn(0);
}

static PetscErrorCode ParseLandmarks(Reader *r, const yaml_node_t *list)
{
  HavocMesh    mesh = r->mesh;
  PetscInt     n    = (PetscInt)HavocYamlListLength(list), first, second;
  const char **names;

  PetscFunctionBeginUser;
  PetscCall(PetscCalloc1(n, &mesh->landmarks));
  mesh->nlandmarks = n;
  for (PetscInt i = 0; i < n; i++) {
    const yaml_node_t *item = HavocYamlListItem(&r->doc, list, i);
    HavocMeshLandmark *lm   = &mesh->landmarks[i];
    char               ctx[HAVOC_NAME_LEN + 16];

    PetscCall(HavocYamlCheckKeys(r->comm, r->label, &r->doc, item, "landmark", landmark_keys, COUNT(landmark_keys)));
    PetscCall(GetName(r, item, "landmark", lm->name));
    PetscCall(PetscSNPrintf(ctx, sizeof(ctx), "landmark '%s'", lm->name));
    for (PetscInt k = 0; k < 3; k++) {
      const yaml_node_t *x = HavocYamlFind(&r->doc, item, landmark_keys[k + 1]);
      CheckAt(x, r, HavocYamlLine(item), "%s: missing '%s'", ctx, landmark_keys[k + 1]);
      PetscCall(GetQuantity(r, x, ctx, landmark_keys[k + 1], "mm", &lm->x[k]));
    }
    lm->line = HavocYamlLine(item);
  }
  PetscCall(PetscMalloc1(n, &names));
  for (PetscInt i = 0; i < n; i++)
    names[i] = mesh->landmarks[i].name;
  PetscCall(FindDuplicate(n, names, &first, &second));
  PetscCall(PetscFree(names));
  CheckAt(second < 0, r, mesh->landmarks[second].line, "landmark '%s': name already used at line %" PetscInt_FMT, mesh->landmarks[second].name, mesh->landmarks[first].line);
  PetscFunctionReturn(0);
}

static PetscErrorCode ParseSeeds(Reader *r, const yaml_node_t *list, const char *ctx, HavocMeshTerritory *t)
{
  HavocMesh mesh = r->mesh;

  PetscFunctionBeginUser;
  CheckAt(list->type == YAML_SEQUENCE_NODE && (PetscInt)HavocYamlListLength(list) > 0, r, HavocYamlLine(list), "%s: seeds: expected a list of landmark names or points [x, y, z]", ctx);
  t->nseeds       = (PetscInt)HavocYamlListLength(list);
  t->seeds_offset = mesh->nseeds;
  for (PetscInt i = 0; i < t->nseeds; i++) {
    const yaml_node_t *seed = HavocYamlListItem(&r->doc, list, i);
    const PetscInt     s    = mesh->nseeds + i;

    if (seed->type == YAML_SCALAR_NODE) {
      PetscCall(FindLandmark(r, seed, ctx, "seeds", &mesh->seed_landmark[s]));
      PetscCall(PetscArraycpy(&mesh->seeds[3 * s], mesh->landmarks[mesh->seed_landmark[s]].x, 3));
    } else {
      mesh->seed_landmark[s] = -1;
      PetscCall(GetQuantityList(r, seed, ctx, "seeds", "a landmark name or a point [x, y, z]", 3, "mm", &mesh->seeds[3 * s]));
    }
  }
  mesh->nseeds += t->nseeds;
  PetscFunctionReturn(0);
}

static PetscErrorCode ParseTerritory(Reader *r, const yaml_node_t *item, HavocMeshTerritory *t)
{
  HavocMesh          mesh = r->mesh;
  const yaml_node_t *tissue, *seeds, *polygon, *area;
  const char        *text;
  char               ctx[HAVOC_NAME_LEN + 16];

  PetscFunctionBeginUser;
  PetscCall(HavocYamlCheckKeys(r->comm, r->label, &r->doc, item, "territory", territory_keys, COUNT(territory_keys)));
  PetscCall(GetName(r, item, "territory", t->name));
  PetscCall(PetscSNPrintf(ctx, sizeof(ctx), "territory '%s'", t->name));
  t->line = HavocYamlLine(item);

  tissue = HavocYamlFind(&r->doc, item, "tissue");
  CheckAt(tissue, r, t->line, "%s: missing 'tissue' (one of skin, retina, choroid, brain, other)", ctx);
  PetscCall(GetText(r, tissue, ctx, "tissue", &text));
  t->tissue = HAVOC_NTISSUES;
  for (PetscInt k = 0; k < HAVOC_NTISSUES; k++)
    if (!strcmp(text, HavocTissueNames[k])) t->tissue = (HavocTissue)k;
  CheckAt(t->tissue < HAVOC_NTISSUES, r, HavocYamlLine(tissue), "%s: tissue: unknown tissue '%s' (expected one of skin, retina, choroid, brain, other)", ctx, text);

  seeds = HavocYamlFind(&r->doc, item, "seeds");
  CheckAt(seeds, r, t->line, "%s: missing 'seeds' (landmark names or points [x, y, z])", ctx);
  PetscCall(ParseSeeds(r, seeds, ctx, t));

  polygon = HavocYamlFind(&r->doc, item, "polygon");
  if (polygon) {
    CheckAt(polygon->type == YAML_SEQUENCE_NODE && (PetscInt)HavocYamlListLength(polygon) >= 3, r, HavocYamlLine(polygon), "%s: polygon: expected a list of at least 3 points [x, y] in the frontal plane", ctx);
    t->npolygon       = (PetscInt)HavocYamlListLength(polygon);
    t->polygon_offset = mesh->npolygon;
    for (PetscInt i = 0; i < t->npolygon; i++)
      PetscCall(GetQuantityList(r, HavocYamlListItem(&r->doc, polygon, i), ctx, "polygon", "each point to be [x, y] (frontal plane)", 2, "mm", &mesh->polygon[2 * (mesh->npolygon + i)]));
    mesh->npolygon += t->npolygon;
  }

  area = HavocYamlFind(&r->doc, item, "area");
  if (area) {
    PetscCall(GetQuantity(r, area, ctx, "area", "cm^2", &t->area));
    PetscCall(CheckRange(r, area, ctx, "area", t->area, 0, PETSC_TRUE, PETSC_INFINITY));
  }
  PetscFunctionReturn(0);
}

static PetscErrorCode ParseTerritories(Reader *r, const yaml_node_t *list)
{
  HavocMesh    mesh = r->mesh;
  PetscInt     n = (PetscInt)HavocYamlListLength(list), nseeds = 0, npolygon = 0, first, second;
  const char **names;

  PetscFunctionBeginUser;
  for (PetscInt i = 0; i < n; i++) {
    const yaml_node_t *item = HavocYamlListItem(&r->doc, list, i), *seeds, *polygon;
    if (item->type != YAML_MAPPING_NODE) continue;
    seeds   = HavocYamlFind(&r->doc, item, "seeds");
    polygon = HavocYamlFind(&r->doc, item, "polygon");
    if (seeds && seeds->type == YAML_SEQUENCE_NODE) nseeds += (PetscInt)HavocYamlListLength(seeds);
    if (polygon && polygon->type == YAML_SEQUENCE_NODE) npolygon += (PetscInt)HavocYamlListLength(polygon);
  }
  PetscCall(PetscCalloc1(n, &mesh->territories));
  PetscCall(PetscMalloc3(3 * nseeds, &mesh->seeds, nseeds, &mesh->seed_landmark, 2 * npolygon, &mesh->polygon));
  mesh->nterritories = n;
  for (PetscInt i = 0; i < n; i++)
    PetscCall(ParseTerritory(r, HavocYamlListItem(&r->doc, list, i), &mesh->territories[i]));
  PetscCall(PetscMalloc1(n, &names));
  for (PetscInt i = 0; i < n; i++)
    names[i] = mesh->territories[i].name;
  PetscCall(FindDuplicate(n, names, &first, &second));
  PetscCall(PetscFree(names));
  CheckAt(second < 0, r, mesh->territories[second].line, "territory '%s': name already used at line %" PetscInt_FMT, mesh->territories[second].name, mesh->territories[first].line);
  PetscFunctionReturn(0);
}

static PetscErrorCode ParseNodes(Reader *r, const yaml_node_t *list)
{
  HavocMesh mesh = r->mesh;
  PetscInt  n    = (PetscInt)HavocYamlListLength(list);

  PetscFunctionBeginUser;
  PetscCall(PetscCalloc1(n, &mesh->nodes));
  PetscCall(PetscMalloc2(n, &r->sorted_ids, n, &r->sorted_nodes));
  mesh->nnodes = n;
  for (PetscInt i = 0; i < n; i++) {
    const yaml_node_t *item = HavocYamlListItem(&r->doc, list, i), *id, *at;
    HavocMeshNode     *node = &mesh->nodes[i];
    char               ctx[64];

    PetscCall(HavocYamlCheckKeys(r->comm, r->label, &r->doc, item, "node", node_keys, COUNT(node_keys)));
    id = HavocYamlFind(&r->doc, item, "id");
    CheckAt(id, r, HavocYamlLine(item), "node: missing 'id'");
    PetscCall(GetInt(r, id, "node", "id", &node->id));
    PetscCall(PetscSNPrintf(ctx, sizeof(ctx), "node %" PetscInt_FMT, node->id));
    node->landmark = -1;
    at             = HavocYamlFind(&r->doc, item, "at");
    if (at) {
      PetscCall(FindLandmark(r, at, ctx, "at", &node->landmark));
      for (PetscInt k = 0; k < 3; k++) {
        const yaml_node_t *x = HavocYamlFind(&r->doc, item, node_keys[k + 1]), *d = HavocYamlFind(&r->doc, item, node_keys[k + 5]);
        CheckAt(!x, r, HavocYamlLine(x), "%s: give 'at' (with offsets dx, dy, dz) or 'x', 'y', 'z', not both", ctx);
        if (d) PetscCall(GetQuantity(r, d, ctx, node_keys[k + 5], "mm", &node->offset[k]));
        node->x[k] = mesh->landmarks[node->landmark].x[k] + node->offset[k];
      }
    } else {
      for (PetscInt k = 0; k < 3; k++) {
        const yaml_node_t *x = HavocYamlFind(&r->doc, item, node_keys[k + 1]), *d = HavocYamlFind(&r->doc, item, node_keys[k + 5]);
        CheckAt(!d, r, HavocYamlLine(d), "%s: '%s' is an offset from a landmark and needs 'at: LANDMARK'", ctx, node_keys[k + 5]);
        CheckAt(x, r, HavocYamlLine(item), "%s: missing '%s'", ctx, node_keys[k + 1]);
        PetscCall(GetQuantity(r, x, ctx, node_keys[k + 1], "mm", &node->x[k]));
      }
    }
    node->line         = HavocYamlLine(item);
    node->inlet        = -1;
    node->outlet       = -1;
    r->sorted_ids[i]   = node->id;
    r->sorted_nodes[i] = i;
  }
  PetscCall(PetscSortIntWithArray(n, r->sorted_ids, r->sorted_nodes));
  for (PetscInt i = 0; i + 1 < n; i++) {
    const PetscInt a = PetscMin(r->sorted_nodes[i], r->sorted_nodes[i + 1]), b = PetscMax(r->sorted_nodes[i], r->sorted_nodes[i + 1]);
    CheckAt(r->sorted_ids[i] != r->sorted_ids[i + 1], r, mesh->nodes[b].line, "node %" PetscInt_FMT ": id already used at line %" PetscInt_FMT, mesh->nodes[b].id, mesh->nodes[a].line);
  }
  PetscFunctionReturn(0);
}

static PetscErrorCode ParseInlets(Reader *r, const yaml_node_t *list)
{
  HavocMesh    mesh = r->mesh;
  PetscInt     n    = (PetscInt)HavocYamlListLength(list), first, second;
  const char **names;

  PetscFunctionBeginUser;
  PetscCall(PetscCalloc1(n, &mesh->inlets));
  mesh->ninlets = n;
  for (PetscInt i = 0; i < n; i++) {
    const yaml_node_t *item  = HavocYamlListItem(&r->doc, list, i), *node, *name, *scale;
    HavocMeshInlet    *inlet = &mesh->inlets[i];
    char               ctx[HAVOC_NAME_LEN + 16];

    PetscCall(HavocYamlCheckKeys(r->comm, r->label, &r->doc, item, "inlet", inlet_keys, COUNT(inlet_keys)));
    node = HavocYamlFind(&r->doc, item, "node");
    CheckAt(node, r, HavocYamlLine(item), "inlet: missing 'node'");
    PetscCall(FindNode(r, node, "inlet", "node", &inlet->node));
    name = HavocYamlFind(&r->doc, item, "name");
    if (name) PetscCall(GetString(r, name, "inlet", "name", inlet->name, sizeof(inlet->name)));
    else PetscCall(PetscSNPrintf(inlet->name, sizeof(inlet->name), "inlet_%" PetscInt_FMT, mesh->nodes[inlet->node].id));
    PetscCall(PetscSNPrintf(ctx, sizeof(ctx), "inlet '%s'", inlet->name));
    inlet->scale = 1;
    scale        = HavocYamlFind(&r->doc, item, "scale");
    if (scale) {
      PetscCall(GetQuantity(r, scale, ctx, "scale", "", &inlet->scale));
      PetscCall(CheckRange(r, scale, ctx, "scale", inlet->scale, 0, PETSC_TRUE, PETSC_INFINITY));
    }
    inlet->line = HavocYamlLine(item);
    if (mesh->nodes[inlet->node].inlet >= 0) {
      const HavocMeshInlet *other = &mesh->inlets[mesh->nodes[inlet->node].inlet];
      CheckAt(0, r, inlet->line, "%s: node %" PetscInt_FMT " already has inlet '%s' (line %" PetscInt_FMT "); a node takes at most one inlet", ctx, mesh->nodes[inlet->node].id, other->name, other->line);
    }
    mesh->nodes[inlet->node].inlet = i;
  }
  PetscCall(PetscMalloc1(n, &names));
  for (PetscInt i = 0; i < n; i++)
    names[i] = mesh->inlets[i].name;
  PetscCall(FindDuplicate(n, names, &first, &second));
  PetscCall(PetscFree(names));
  CheckAt(second < 0, r, mesh->inlets[second].line, "inlet '%s': name already used at line %" PetscInt_FMT, mesh->inlets[second].name, mesh->inlets[first].line);
  PetscFunctionReturn(0);
}

static PetscErrorCode ParseOutlet(Reader *r, const yaml_node_t *map, const char *vessel_ctx, HavocMeshVessel *v)
{
  const HavocOutletType *type;
  const yaml_node_t     *model;
  const char            *name, *keys[HAVOC_OUTLET_MAXPARAM + 1] = {"model"};
  char                   ctx[HAVOC_NAME_LEN + 32], known[256];
  PetscInt               index;

  PetscFunctionBeginUser;
  PetscCall(PetscSNPrintf(ctx, sizeof(ctx), "%s: outlet", vessel_ctx));
  PetscCall(HavocOutletList(known, sizeof(known)));
  CheckAt(map->type == YAML_MAPPING_NODE, r, HavocYamlLine(map), "%s: expected a mapping {model: NAME, parameters}, got %s", ctx, HavocYamlKind(map));
  model = HavocYamlFind(&r->doc, map, "model");
  CheckAt(model, r, HavocYamlLine(map), "%s: missing 'model' (one of %s)", ctx, known);
  PetscCall(GetText(r, model, ctx, "model", &name));
  PetscCall(HavocOutletFind(name, &index));
  CheckAt(index >= 0, r, HavocYamlLine(model), "%s: unknown model '%s' (known: %s)", ctx, name, known);
  PetscCall(HavocOutletGet(index, &type));
  for (PetscInt p = 0; p < type->nparam; p++)
    keys[p + 1] = type->param[p].name;
  PetscCall(HavocYamlCheckKeys(r->comm, r->label, &r->doc, map, ctx, keys, type->nparam + 1));
  for (PetscInt p = 0; p < type->nparam; p++) {
    const HavocParamSpec *spec  = &type->param[p];
    const yaml_node_t    *value = HavocYamlFind(&r->doc, map, spec->name);

    if (!value) {
      CheckAt(!spec->required, r, HavocYamlLine(map), "%s: model %s needs '%s' (%s%s%s)", ctx, type->name, spec->name, spec->help, spec->unit[0] ? " in " : "", spec->unit);
      v->outlet_param[p] = spec->default_value;
      continue;
    }
    PetscCall(GetQuantity(r, value, ctx, spec->name, spec->unit, &v->outlet_param[p]));
    PetscCall(CheckRange(r, value, ctx, spec->name, v->outlet_param[p], spec->lo, spec->lo_open, spec->hi));
  }
  v->outlet_type = index;
  PetscFunctionReturn(0);
}

static PetscErrorCode ParsePoints(Reader *r, const yaml_node_t *list, const char *ctx, HavocMeshVessel *v)
{
  HavocMesh mesh = r->mesh;

  PetscFunctionBeginUser;
  CheckAt(list->type == YAML_SEQUENCE_NODE, r, HavocYamlLine(list), "%s: points: expected a list of points [x, y, z], got %s", ctx, HavocYamlKind(list));
  v->npoints       = (PetscInt)HavocYamlListLength(list);
  v->points_offset = mesh->npoints;
  for (PetscInt i = 0; i < v->npoints; i++) {
    const yaml_node_t *point = HavocYamlListItem(&r->doc, list, i);

    CheckAt(point->type == YAML_SEQUENCE_NODE && (PetscInt)HavocYamlListLength(point) == 3, r, HavocYamlLine(point), "%s: points: each point is a list of three coordinates [x, y, z]", ctx);
    for (PetscInt k = 0; k < 3; k++)
      PetscCall(GetQuantity(r, HavocYamlListItem(&r->doc, point, k), ctx, "points", "mm", &mesh->points[3 * (mesh->npoints + i) + k]));
  }
  mesh->npoints += v->npoints;
  PetscFunctionReturn(0);
}

static PetscReal Distance(const PetscReal a[3], const PetscReal b[3])
{
  return PetscSqrtReal(PetscSqr(a[0] - b[0]) + PetscSqr(a[1] - b[1]) + PetscSqr(a[2] - b[2]));
}

/* Whether a vessel that sets the keys own[] excludes the default of key q. */
static PetscBool Excludes(yaml_node_t *const own[], PetscInt q)
{
  for (PetscInt k = 0; k < COUNT(exclusive); k++)
    if ((exclusive[k][0] == q && own[exclusive[k][1]]) || (exclusive[k][1] == q && own[exclusive[k][0]])) return PETSC_TRUE;
  return PETSC_FALSE;
}

static PetscErrorCode ParseVessel(Reader *r, const yaml_node_t *item, HavocMeshVessel *v)
{
  HavocMesh          mesh = r->mesh;
  const yaml_node_t *name, *from, *to, *points, *outlet;
  yaml_node_t       *own[NDEFAULT_KEYS], *given[NDEFAULT_KEYS];
  PetscReal          value[NQUANTITY];
  char               ctx[HAVOC_NAME_LEN + 16];

  PetscFunctionBeginUser;
  PetscCall(HavocYamlCheckKeys(r->comm, r->label, &r->doc, item, "vessel", vessel_keys, COUNT(vessel_keys)));
  v->line = HavocYamlLine(item);
  name    = HavocYamlFind(&r->doc, item, "name");
  CheckAt(name, r, v->line, "vessel: missing 'name'");
  PetscCall(GetString(r, name, "vessel", "name", v->name, sizeof(v->name)));
  CheckAt(v->name[0] && strspn(v->name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") == strlen(v->name), r, HavocYamlLine(name), "vessel '%s': a name may only contain letters, digits, '_' and '-'", v->name);
  PetscCall(PetscSNPrintf(ctx, sizeof(ctx), "vessel '%s'", v->name));

  from = HavocYamlFind(&r->doc, item, "from");
  to   = HavocYamlFind(&r->doc, item, "to");
  CheckAt(from && to, r, v->line, "%s: missing '%s' (the node ids of its two ends)", ctx, from ? "to" : "from");
  PetscCall(FindNode(r, from, ctx, "from", &v->from));
  PetscCall(FindNode(r, to, ctx, "to", &v->to));
  CheckAt(v->from != v->to, r, HavocYamlLine(to), "%s: both ends are node %" PetscInt_FMT "; a vessel joins two different nodes", ctx, mesh->nodes[v->from].id);

  for (PetscInt q = 0; q < NDEFAULT_KEYS; q++)
    own[q] = HavocYamlFind(&r->doc, item, vessel_keys[q]);
  PetscCall(ParseQuantities(r, own, ctx, value));
  for (PetscInt q = 0; q < NDEFAULT_KEYS; q++) {
    given[q] = own[q];
    if (own[q] || !r->defaults[q] || Excludes(own, q)) continue;
    given[q] = r->defaults[q];
    if (q < NQUANTITY) PetscCall(GetQuantity(r, given[q], "defaults", vessel_keys[q], quantity[q].unit, &value[q]));
  }

  if (given[Q_RADIUS]) v->r_prox = v->r_dist = value[Q_RADIUS];
  else {
    CheckAt(given[Q_RADIUS_PROX] || given[Q_RADIUS_DIST], r, v->line, "%s: missing 'radius' (or 'radius_prox' and 'radius_dist')", ctx);
    CheckAt(given[Q_RADIUS_PROX] && given[Q_RADIUS_DIST], r, v->line, "%s: '%s' needs '%s'", ctx, given[Q_RADIUS_PROX] ? "radius_prox" : "radius_dist", given[Q_RADIUS_PROX] ? "radius_dist" : "radius_prox");
    v->r_prox = value[Q_RADIUS_PROX];
    v->r_dist = value[Q_RADIUS_DIST];
  }
  if (given[Q_BETA]) v->beta = value[Q_BETA];
  else {
    CheckAt(given[Q_E] || given[Q_H], r, v->line, "%s: missing the wall stiffness: give 'E' and 'h', or 'beta'", ctx);
    CheckAt(given[Q_E] && given[Q_H], r, v->line, "%s: '%s' needs '%s' (or give 'beta' instead)", ctx, given[Q_E] ? "E" : "h", given[Q_E] ? "h" : "E");
    v->E    = value[Q_E];
    v->h    = value[Q_H];
    v->beta = HavocTubeBeta(v->E, v->h);
  }
  v->p_ref = given[Q_P_REF] ? value[Q_P_REF] : 0;
  v->p_ext = given[Q_P_EXT] ? value[Q_P_EXT] : 0;
  v->zeta  = given[Q_ZETA] ? value[Q_ZETA] : DEFAULT_ZETA;
  v->phi   = given[Q_PHI] ? value[Q_PHI] : 0;
  CheckAt(v->phi == 0 || v->h > 0, r, HavocYamlLine(given[Q_PHI]), "%s: wall_viscosity needs the wall thickness: give 'E' and 'h' instead of 'beta'", ctx);
  v->gamma_visc = 2.0 / 3.0 * PetscSqrtReal(PETSC_PI) * v->phi * v->h;
  if (given[Q_TERRITORY]) PetscCall(GetString(r, given[Q_TERRITORY], ctx, "territory", v->territory, sizeof(v->territory)));

  points = HavocYamlFind(&r->doc, item, "points");
  if (points) PetscCall(ParsePoints(r, points, ctx, v));
  if (given[Q_LENGTH]) v->length = value[Q_LENGTH];
  else {
    const PetscReal *prev = mesh->nodes[v->from].x;
    for (PetscInt i = 0; i < v->npoints; i++) {
      v->length += Distance(prev, &mesh->points[3 * (v->points_offset + i)]);
      prev = &mesh->points[3 * (v->points_offset + i)];
    }
    v->length += Distance(prev, mesh->nodes[v->to].x);
    CheckAt(v->length > 0, r, v->line, "%s: no 'length', and its ends are at the same place; give 'length'", ctx);
  }

  for (PetscInt k = 0; k < 2; k++) {
    const char        *key = k ? "length_range" : "radius_range", *what = k ? "length" : "radius at x = 0";
    const yaml_node_t *range = HavocYamlFind(&r->doc, item, key);
    PetscReal         *lohi  = k ? v->L_range : v->r_range;
    const PetscReal    x     = k ? v->length : v->r_prox;
    char               a[32], b[32], c[32];

    if (!range) continue;
    PetscCall(GetQuantityList(r, range, ctx, key, "a list [lo, hi] of two lengths", 2, "mm", lohi));
    CheckAt(lohi[0] > 0 && lohi[0] <= lohi[1], r, HavocYamlLine(range), "%s: %s: expected 0 < lo <= hi, got [%s, %s] mm", ctx, key, Num(lohi[0] * 1e3, a), Num(lohi[1] * 1e3, b));
    CheckAt(x >= lohi[0] && x <= lohi[1], r, HavocYamlLine(range), "%s: its %s, %s mm, is outside its %s [%s, %s] mm", ctx, what, Num(x * 1e3, c), key, Num(lohi[0] * 1e3, a), Num(lohi[1] * 1e3, b));
  }

  v->outlet_type = -1;
  v->outlet_node = -1;
  outlet         = HavocYamlFind(&r->doc, item, "outlet");
  if (outlet) PetscCall(ParseOutlet(r, outlet, ctx, v));

  v->territory_index = -1;
  if (r->has_territories && v->territory[0]) {
    PetscCall(HavocMeshFindTerritory(mesh, v->territory, &v->territory_index));
    CheckAt(v->territory_index >= 0, r, HavocYamlLine(given[Q_TERRITORY]), "%s: territory '%s' is not one of the file's territories", ctx, v->territory);
  }
  CheckAt(!r->has_territories || !outlet || v->territory[0], r, v->line, "%s: a vessel with an outlet needs a 'territory' in a file with 'territories'", ctx);
  PetscFunctionReturn(0);
}

static PetscErrorCode ParseVessels(Reader *r, const yaml_node_t *list)
{
  HavocMesh    mesh = r->mesh;
  PetscInt     n = (PetscInt)HavocYamlListLength(list), npoints = 0, first, second;
  const char **names;

  PetscFunctionBeginUser;
  for (PetscInt i = 0; i < n; i++) {
    const yaml_node_t *item = HavocYamlListItem(&r->doc, list, i), *points;
    if (item->type != YAML_MAPPING_NODE) continue;
    points = HavocYamlFind(&r->doc, item, "points");
    if (points && points->type == YAML_SEQUENCE_NODE) npoints += (PetscInt)HavocYamlListLength(points);
  }
  PetscCall(PetscCalloc1(n, &mesh->vessels));
  PetscCall(PetscMalloc1(3 * npoints, &mesh->points));
  mesh->nvessels = n;
  for (PetscInt i = 0; i < n; i++)
    PetscCall(ParseVessel(r, HavocYamlListItem(&r->doc, list, i), &mesh->vessels[i]));
  PetscCall(PetscMalloc1(n, &names));
  for (PetscInt i = 0; i < n; i++)
    names[i] = mesh->vessels[i].name;
  PetscCall(FindDuplicate(n, names, &first, &second));
  PetscCall(PetscFree(names));
  CheckAt(second < 0, r, mesh->vessels[second].line, "vessel '%s': name already used at line %" PetscInt_FMT, mesh->vessels[second].name, mesh->vessels[first].line);
  PetscFunctionReturn(0);
}

/* The checks that need the whole network: degrees, inlets, connectivity, outlets. */
static PetscErrorCode CheckNetwork(Reader *r, const yaml_node_t *vessels)
{
  HavocMesh mesh = r->mesh;
  PetscInt  head = 0, tail = 0;

  PetscFunctionBeginUser;
  PetscCall(PetscCalloc2(mesh->nnodes + 1, &r->adj_start, 2 * mesh->nvessels, &r->adj_vessel));
  for (PetscInt e = 0; e < mesh->nvessels; e++) {
    mesh->nodes[mesh->vessels[e].from].degree++;
    mesh->nodes[mesh->vessels[e].to].degree++;
  }
  for (PetscInt n = 0; n < mesh->nnodes; n++) {
    const HavocMeshNode *node = &mesh->nodes[n];
    CheckAt(node->degree <= HAVOC_MAX_DEGREE, r, node->line, "node %" PetscInt_FMT ": %" PetscInt_FMT " vessels meet here, at most %d may", node->id, node->degree, HAVOC_MAX_DEGREE);
    r->adj_start[n + 1] = r->adj_start[n] + node->degree;
  }
  {
    PetscInt *fill;
    PetscCall(PetscMalloc1(mesh->nnodes, &fill));
    PetscCall(PetscArraycpy(fill, r->adj_start, mesh->nnodes));
    for (PetscInt e = 0; e < mesh->nvessels; e++) {
      r->adj_vessel[fill[mesh->vessels[e].from]++] = e;
      r->adj_vessel[fill[mesh->vessels[e].to]++]   = e;
    }
    PetscCall(PetscFree(fill));
  }
  for (PetscInt i = 0; i < mesh->ninlets; i++) {
    const HavocMeshInlet *inlet = &mesh->inlets[i];
    const HavocMeshNode  *node  = &mesh->nodes[inlet->node];
    CheckAt(node->degree == 1, r, inlet->line, "inlet '%s': node %" PetscInt_FMT " is the end of %" PetscInt_FMT " vessels; an inlet must be at a node that ends exactly one vessel", inlet->name, node->id, node->degree);
  }

  PetscCall(PetscCalloc2(mesh->nnodes, &r->queue, mesh->nnodes, &r->reached));
  r->queue[tail++]                 = mesh->inlets[0].node;
  r->reached[mesh->inlets[0].node] = PETSC_TRUE;
  while (head < tail) {
    const PetscInt n = r->queue[head++];
    for (PetscInt k = r->adj_start[n]; k < r->adj_start[n + 1]; k++) {
      const HavocMeshVessel *v     = &mesh->vessels[r->adj_vessel[k]];
      const PetscInt         other = v->from == n ? v->to : v->from;
      if (r->reached[other]) continue;
      r->reached[other] = PETSC_TRUE;
      r->queue[tail++]  = other;
    }
  }
  for (PetscInt n = 0; n < mesh->nnodes; n++)
    CheckAt(r->reached[n], r, mesh->nodes[n].line, "node %" PetscInt_FMT " is not connected to inlet '%s': the network must be in one piece", mesh->nodes[n].id, mesh->inlets[0].name);

  for (PetscInt n = 0; n < mesh->nnodes; n++) {
    HavocMeshNode   *node = &mesh->nodes[n];
    PetscInt         e;
    HavocMeshVessel *v;

    if (node->degree != 1 || node->inlet >= 0) continue;
    e = r->adj_vessel[r->adj_start[n]];
    v = &mesh->vessels[e];
    CheckAt(v->outlet_type >= 0, r, v->line, "vessel '%s' ends at node %" PetscInt_FMT ", which no other vessel joins: it needs an 'outlet' (or node %" PetscInt_FMT " an inlet)", v->name, node->id, node->id);
    v->outlet_node = n;
    node->outlet   = e;
    mesh->noutlets++;
  }
  for (PetscInt e = 0; e < mesh->nvessels; e++) {
    const HavocMeshVessel *v = &mesh->vessels[e];
    CheckAt(v->outlet_type < 0 || v->outlet_node >= 0, r, v->line, "vessel '%s' has an outlet but no free end: only a vessel ending at a node that nothing else joins may have one", v->name);
  }
  CheckAt(mesh->noutlets > 0, r, HavocYamlLine(vessels), "the network has no outlet: give an 'outlet' to a vessel that ends at a node nothing else joins");
  mesh->nloops = mesh->nvessels - mesh->nnodes + 1;
  PetscFunctionReturn(0);
}

static PetscErrorCode LoadDocument(Reader *r, const char *bytes, size_t len)
{
  long line;
  char problem[256];
  int  rc;

  PetscFunctionBeginUser;
  rc = HavocYamlLoad(bytes, len, &r->doc, &line, problem, sizeof(problem));
  CheckAt(rc != HAVOC_YAML_SYNTAX, r, (int)line, "invalid YAML: %s", problem);
  CheckAt(rc != HAVOC_YAML_SECOND, r, (int)line, "a second YAML document; a network file holds one");
  PetscFunctionReturn(0);
}

static PetscErrorCode ReaderRun(Reader *r, const char *bytes, size_t len)
{
  HavocMesh          mesh = r->mesh;
  const yaml_node_t *root, *value;
  yaml_node_t       *nodes, *inlets, *vessels, *landmarks, *territories;

  PetscFunctionBeginUser;
  PetscCall(HavocRegisterAll());
  PetscCall(LoadDocument(r, bytes, len));
  root = yaml_document_get_root_node(&r->doc);
  CheckAt(root, r, 1, "empty file, expected 'format: %s %d' and the network", HAVOC_NETWORK_FORMAT, HAVOC_NETWORK_FORMAT_VERSION);
  CheckAt(root->type == YAML_MAPPING_NODE && root->data.mapping.pairs.top > root->data.mapping.pairs.start, r, HavocYamlLine(root), "expected a mapping that starts with 'format: %s %d', got %s", HAVOC_NETWORK_FORMAT, HAVOC_NETWORK_FORMAT_VERSION, HavocYamlKind(root));
  PetscCall(ParseFormat(r, root));
  PetscCall(HavocYamlCheckKeys(r->comm, r->label, &r->doc, root, "network", top_keys, COUNT(top_keys)));
  if ((value = HavocYamlFind(&r->doc, root, "name"))) PetscCall(GetString(r, value, "network", "name", mesh->name, sizeof(mesh->name)));
  if ((value = HavocYamlFind(&r->doc, root, "description"))) PetscCall(GetString(r, value, "network", "description", mesh->description, sizeof(mesh->description)));
  if ((value = HavocYamlFind(&r->doc, root, "defaults"))) PetscCall(ParseDefaults(r, value));
  PetscCall(GetOptionalList(r, root, "landmarks", "landmark", &landmarks));
  if (landmarks) PetscCall(ParseLandmarks(r, landmarks));
  PetscCall(GetOptionalList(r, root, "territories", "territory", &territories));
  r->has_territories = (PetscBool) !!territories;
  if (territories) PetscCall(ParseTerritories(r, territories));
  PetscCall(GetList(r, root, "nodes", "node", &nodes));
  PetscCall(ParseNodes(r, nodes));
  PetscCall(GetList(r, root, "inlets", "inlet", &inlets));
  PetscCall(ParseInlets(r, inlets));
  PetscCall(GetList(r, root, "vessels", "vessel", &vessels));
  PetscCall(ParseVessels(r, vessels));
  PetscCall(CheckNetwork(r, vessels));
  PetscFunctionReturn(0);
}

/* The default name: the file name without directory and extension. */
static PetscErrorCode DefaultName(const char label[], char name[], size_t len)
{
  const char *base = strrchr(label, '/'), *dot;

  PetscFunctionBeginUser;
  base = base ? base + 1 : label;
  dot  = strrchr(base, '.');
  PetscCall(PetscStrncpy(name, base, PetscMin(len, dot && dot != base ? (size_t)(dot - base) + 1 : len)));
  PetscFunctionReturn(0);
}

static PetscErrorCode MeshParse(MPI_Comm comm, const char label[], const char *bytes, size_t len, HavocMesh *mesh)
{
  Reader         r;
  PetscErrorCode ierr;

  PetscFunctionBeginUser;
  PetscCall(PetscMemzero(&r, sizeof(r)));
  r.comm  = comm;
  r.label = label;
  PetscCall(PetscNew(&r.mesh));
  PetscCall(PetscStrncpy(r.mesh->path, label, sizeof(r.mesh->path)));
  PetscCall(DefaultName(label, r.mesh->name, sizeof(r.mesh->name)));
  /* Not PetscCall: the reader's allocations must be released on the error path too. */
  ierr = ReaderRun(&r, bytes, len);
  yaml_document_delete(&r.doc);
  PetscCall(PetscFree2(r.sorted_ids, r.sorted_nodes));
  PetscCall(PetscFree2(r.adj_start, r.adj_vessel));
  PetscCall(PetscFree2(r.queue, r.reached));
  if (ierr) PetscCall(HavocMeshDestroy(&r.mesh));
  PetscCall(ierr);
  *mesh = r.mesh;
  PetscFunctionReturn(0);
}

PetscErrorCode HavocMeshReadString(MPI_Comm comm, const char label[], const char text[], HavocMesh *mesh)
{
  PetscFunctionBeginUser;
  PetscCall(MeshParse(comm, label, text, strlen(text), mesh));
  PetscFunctionReturn(0);
}

PetscErrorCode HavocMeshRead(MPI_Comm comm, const char path[], HavocMesh *mesh)
{
  char          *bytes;
  size_t         len;
  PetscErrorCode ierr;

  PetscFunctionBeginUser;
  PetscCall(HavocReadFile(comm, path, "network file", &bytes, &len));
  ierr = MeshParse(comm, path, bytes, len, mesh);
  PetscCall(PetscFree(bytes));
  PetscCall(ierr);
  PetscFunctionReturn(0);
}

PetscErrorCode HavocMeshDestroy(HavocMesh *mesh)
{
  PetscFunctionBeginUser;
  if (!*mesh) PetscFunctionReturn(0);
  PetscCall(PetscFree((*mesh)->nodes));
  PetscCall(PetscFree((*mesh)->vessels));
  PetscCall(PetscFree((*mesh)->inlets));
  PetscCall(PetscFree((*mesh)->points));
  PetscCall(PetscFree((*mesh)->landmarks));
  PetscCall(PetscFree((*mesh)->territories));
  PetscCall(PetscFree3((*mesh)->seeds, (*mesh)->seed_landmark, (*mesh)->polygon));
  PetscCall(PetscFree(*mesh));
  PetscFunctionReturn(0);
}

/* Prints si in unit so that the reader gets the same double back: the shortest of 15 to 17 significant
   digits that does, else SI base units (through a conversion factor some doubles have no exact decimal). */
static PetscErrorCode FormatQuantity(PetscReal si, const char unit[], char buf[], size_t len)
{
  double   factor, back;
  HavocDim dim;
  char     si_unit[64];

  PetscFunctionBeginUser;
  PetscCheck(!HavocUnitParse(unit, &factor, &dim, NULL, 0), PETSC_COMM_SELF, PETSC_ERR_PLIB, "invalid unit '%s'", unit);
  for (int digits = 15; digits <= 17; digits++) {
    PetscCall(PetscSNPrintf(buf, len, "%.*g%s%s", digits, si / factor, unit[0] ? " " : "", unit));
    if (!HavocQuantityParse(buf, unit, unit, &back, NULL, 0) && back == si) PetscFunctionReturn(0);
  }
  HavocDimSI(dim, si_unit, sizeof(si_unit));
  PetscCall(PetscSNPrintf(buf, len, "%.17g%s%s", si, si_unit[0] ? " " : "", si_unit));
  PetscFunctionReturn(0);
}

static PetscErrorCode PrintQuantity(FILE *f, const char *prefix, const char *key, PetscReal si, const char unit[])
{
  char buf[96];

  PetscFunctionBeginUser;
  PetscCall(FormatQuantity(si, unit, buf, sizeof(buf)));
  fprintf(f, "%s%s: %s", prefix, key, buf);
  PetscFunctionReturn(0);
}

/* Strings are always double-quoted: names may look like numbers, booleans or YAML indicators. Without
   a key, the string alone (an item of a list). */
static void PrintString(FILE *f, const char *prefix, const char *key, const char *s)
{
  if (key) fprintf(f, "%s%s: \"", prefix, key);
  else fprintf(f, "%s\"", prefix);
  for (; *s; s++) {
    const unsigned char c = (unsigned char)*s;
    if (c == '"' || c == '\\') fprintf(f, "\\%c", c);
    else if (c < 0x20 || c == 0x7f) fprintf(f, "\\x%02x", c);
    else fputc(c, f);
  }
  fputc('"', f);
}

/* A point or range [a, b, ...] of n lengths, in mm. */
static PetscErrorCode PrintPoint(FILE *f, const PetscReal x[], PetscInt n)
{
  PetscFunctionBeginUser;
  fputc('[', f);
  for (PetscInt k = 0; k < n; k++) {
    char buf[96];
    PetscCall(FormatQuantity(x[k], "mm", buf, sizeof(buf)));
    fprintf(f, "%s%s", k ? ", " : "", buf);
  }
  fputc(']', f);
  PetscFunctionReturn(0);
}

static PetscErrorCode MeshPrint(HavocMesh mesh, FILE *f)
{
  PetscFunctionBeginUser;
  fprintf(f, "format: %s %d\n", HAVOC_NETWORK_FORMAT, HAVOC_NETWORK_FORMAT_VERSION);
  PrintString(f, "", "name", mesh->name);
  fputc('\n', f);
  if (mesh->description[0]) {
    PrintString(f, "", "description", mesh->description);
    fputc('\n', f);
  }
  if (mesh->nlandmarks) fprintf(f, "landmarks:\n");
  for (PetscInt k = 0; k < mesh->nlandmarks; k++) {
    PrintString(f, "  - {", "name", mesh->landmarks[k].name);
    for (PetscInt d = 0; d < 3; d++)
      PetscCall(PrintQuantity(f, ", ", landmark_keys[d + 1], mesh->landmarks[k].x[d], "mm"));
    fprintf(f, "}\n");
  }
  if (mesh->nterritories) fprintf(f, "territories:\n");
  for (PetscInt k = 0; k < mesh->nterritories; k++) {
    const HavocMeshTerritory *t = &mesh->territories[k];

    PrintString(f, "  - ", "name", t->name);
    fprintf(f, "\n    tissue: %s\n    seeds: [", HavocTissueNames[t->tissue]);
    for (PetscInt i = 0; i < t->nseeds; i++) {
      const PetscInt s = t->seeds_offset + i;
      if (i) fprintf(f, ", ");
      if (mesh->seed_landmark[s] >= 0) PrintString(f, "", NULL, mesh->landmarks[mesh->seed_landmark[s]].name);
      else PetscCall(PrintPoint(f, &mesh->seeds[3 * s], 3));
    }
    fputc(']', f);
    if (t->npolygon) {
      fprintf(f, "\n    polygon: [");
      for (PetscInt i = 0; i < t->npolygon; i++) {
        if (i) fprintf(f, ", ");
        PetscCall(PrintPoint(f, &mesh->polygon[2 * (t->polygon_offset + i)], 2));
      }
      fputc(']', f);
    }
    if (t->area > 0) PetscCall(PrintQuantity(f, "\n    ", "area", t->area, "cm^2"));
    fputc('\n', f);
  }
  fprintf(f, "nodes:\n");
  for (PetscInt n = 0; n < mesh->nnodes; n++) {
    const HavocMeshNode *node = &mesh->nodes[n];

    fprintf(f, "  - {id: %" PetscInt_FMT, node->id);
    if (node->landmark >= 0) {
      PrintString(f, ", ", "at", mesh->landmarks[node->landmark].name);
      for (PetscInt k = 0; k < 3; k++)
        if (node->offset[k] != 0) PetscCall(PrintQuantity(f, ", ", node_keys[k + 5], node->offset[k], "mm"));
    } else {
      for (PetscInt k = 0; k < 3; k++)
        PetscCall(PrintQuantity(f, ", ", node_keys[k + 1], node->x[k], "mm"));
    }
    fprintf(f, "}\n");
  }
  fprintf(f, "inlets:\n");
  for (PetscInt i = 0; i < mesh->ninlets; i++) {
    fprintf(f, "  - {node: %" PetscInt_FMT, mesh->nodes[mesh->inlets[i].node].id);
    PrintString(f, ", ", "name", mesh->inlets[i].name);
    PetscCall(PrintQuantity(f, ", ", "scale", mesh->inlets[i].scale, ""));
    fprintf(f, "}\n");
  }
  fprintf(f, "vessels:\n");
  for (PetscInt e = 0; e < mesh->nvessels; e++) {
    const HavocMeshVessel *v = &mesh->vessels[e];
    const char            *p = "\n    ";

    PrintString(f, "  - ", "name", v->name);
    fprintf(f, "%sfrom: %" PetscInt_FMT "%sto: %" PetscInt_FMT, p, mesh->nodes[v->from].id, p, mesh->nodes[v->to].id);
    PetscCall(PrintQuantity(f, p, "length", v->length, quantity[Q_LENGTH].unit));
    if (v->r_prox == v->r_dist) PetscCall(PrintQuantity(f, p, "radius", v->r_prox, quantity[Q_RADIUS].unit));
    else {
      PetscCall(PrintQuantity(f, p, "radius_prox", v->r_prox, quantity[Q_RADIUS_PROX].unit));
      PetscCall(PrintQuantity(f, p, "radius_dist", v->r_dist, quantity[Q_RADIUS_DIST].unit));
    }
    if (v->E > 0) {
      PetscCall(PrintQuantity(f, p, "E", v->E, quantity[Q_E].unit));
      PetscCall(PrintQuantity(f, p, "h", v->h, quantity[Q_H].unit));
    } else PetscCall(PrintQuantity(f, p, "beta", v->beta, quantity[Q_BETA].unit));
    if (v->p_ref != 0) PetscCall(PrintQuantity(f, p, "reference_pressure", v->p_ref, quantity[Q_P_REF].unit));
    if (v->p_ext != 0) PetscCall(PrintQuantity(f, p, "external_pressure", v->p_ext, quantity[Q_P_EXT].unit));
    if (v->phi != 0) PetscCall(PrintQuantity(f, p, "wall_viscosity", v->phi, quantity[Q_PHI].unit));
    PetscCall(PrintQuantity(f, p, "zeta", v->zeta, quantity[Q_ZETA].unit));
    if (v->territory[0]) PrintString(f, p, "territory", v->territory);
    if (v->npoints) {
      fprintf(f, "%spoints: [", p);
      for (PetscInt i = 0; i < v->npoints; i++) {
        if (i) fprintf(f, ", ");
        PetscCall(PrintPoint(f, &mesh->points[3 * (v->points_offset + i)], 3));
      }
      fputc(']', f);
    }
    for (PetscInt k = 0; k < 2; k++) {
      const PetscReal *lohi = k ? v->L_range : v->r_range;
      if (lohi[1] <= 0) continue;
      fprintf(f, "%s%s: ", p, k ? "length_range" : "radius_range");
      PetscCall(PrintPoint(f, lohi, 2));
    }
    if (v->outlet_type >= 0) {
      const HavocOutletType *type;
      PetscCall(HavocOutletGet(v->outlet_type, &type));
      fprintf(f, "%soutlet: {model: %s", p, type->name);
      for (PetscInt k = 0; k < type->nparam; k++)
        PetscCall(PrintQuantity(f, ", ", type->param[k].name, v->outlet_param[k], type->param[k].unit));
      fputc('}', f);
    }
    fputc('\n', f);
  }
  PetscFunctionReturn(0);
}

PetscErrorCode HavocMeshWrite(HavocMesh mesh, const char path[])
{
  FILE          *f = fopen(path, "w");
  PetscErrorCode ierr;
  int            failed;

  PetscFunctionBeginUser;
  PetscCheck(f, PETSC_COMM_SELF, PETSC_ERR_FILE_OPEN, "cannot write network file '%s': %s", path, strerror(errno));
  ierr   = MeshPrint(mesh, f);
  failed = ferror(f);
  failed = fclose(f) || failed;
  PetscCall(ierr);
  PetscCheck(!failed, PETSC_COMM_SELF, PETSC_ERR_FILE_WRITE, "cannot write network file '%s': %s", path, strerror(errno));
  PetscFunctionReturn(0);
}

PetscErrorCode HavocMeshWriteString(HavocMesh mesh, char **text)
{
  PetscFunctionBeginUser;
  PetscCall(HavocMeshWriteStringHeader(mesh, NULL, text));
  PetscFunctionReturn(0);
}

PetscErrorCode HavocMeshWriteStringHeader(HavocMesh mesh, const char header[], char **text)
{
  char          *buf = NULL;
  size_t         len = 0;
  FILE          *f   = open_memstream(&buf, &len);
  PetscErrorCode ierr;

  PetscFunctionBeginUser;
  PetscCheck(f, PETSC_COMM_SELF, PETSC_ERR_MEM, "cannot open a memory stream: %s", strerror(errno));
  /* every line of the header becomes a comment */
  for (const char *line = header; line && *line;) {
    const char *nl = strchr(line, '\n');
    const int   n  = nl ? (int)(nl - line) : (int)strlen(line);
    fprintf(f, "#%s%.*s\n", n ? " " : "", n, line);
    line += n + (nl ? 1 : 0);
  }
  ierr = MeshPrint(mesh, f);
  fclose(f);
  if (!ierr) ierr = PetscStrallocpy(buf, text);
  free(buf);
  PetscCall(ierr);
  PetscFunctionReturn(0);
}

PetscErrorCode HavocMeshFindVessel(HavocMesh mesh, const char name[], PetscInt *index)
{
  PetscFunctionBeginUser;
  *index = -1;
  for (PetscInt e = 0; e < mesh->nvessels && *index < 0; e++)
    if (!strcmp(mesh->vessels[e].name, name)) *index = e;
  PetscFunctionReturn(0);
}

PetscErrorCode HavocMeshVesselKeys(PetscInt *n, const char *const **keys)
{
  PetscFunctionBeginUser;
  *n    = COUNT(vessel_keys);
  *keys = vessel_keys;
  PetscFunctionReturn(0);
}

PetscErrorCode HavocMeshFindLandmark(HavocMesh mesh, const char name[], PetscInt *index)
{
  PetscFunctionBeginUser;
  *index = -1;
  for (PetscInt k = 0; k < mesh->nlandmarks && *index < 0; k++)
    if (!strcmp(mesh->landmarks[k].name, name)) *index = k;
  PetscFunctionReturn(0);
}

PetscErrorCode HavocMeshFindTerritory(HavocMesh mesh, const char name[], PetscInt *index)
{
  PetscFunctionBeginUser;
  *index = -1;
  for (PetscInt k = 0; k < mesh->nterritories && *index < 0; k++)
    if (!strcmp(mesh->territories[k].name, name)) *index = k;
  PetscFunctionReturn(0);
}

PetscInt HavocMeshVesselCells(const HavocMeshVessel *v, PetscReal dx, PetscInt min_cells)
{
  /* A length that is a whole number of cells up to rounding gets exactly that number. A count beyond
     PetscInt (a huge length or a tiny dx) saturates: converting it would be undefined. */
  const PetscReal n = PetscCeilReal(v->length / dx * (1 - 8 * PETSC_MACHINE_EPSILON));

  if (!(n < (PetscReal)PETSC_MAX_INT)) return PETSC_MAX_INT;
  return PetscMax((PetscInt)n, min_cells);
}

PetscErrorCode HavocMeshView(HavocMesh mesh, PetscReal dx, PetscInt min_cells, PetscViewer viewer)
{
  PetscInt   by_degree[HAVOC_MAX_DEGREE + 1] = {0}, njunctions = 0, shortest = 0;
  PetscInt64 cells = 0; /* a sum of saturated counts (HavocMeshVesselCells) must not overflow */
  PetscReal  total = 0, r_min = PETSC_MAX_REAL, r_max = 0;
  char       junctions[256] = "", a[32], b[32];

  PetscFunctionBeginUser;
  for (PetscInt n = 0; n < mesh->nnodes; n++)
    by_degree[mesh->nodes[n].degree]++;
  for (PetscInt d = 2; d <= HAVOC_MAX_DEGREE; d++) {
    char part[64];
    if (!by_degree[d]) continue;
    PetscCall(PetscSNPrintf(part, sizeof(part), "%s%" PetscInt_FMT " of degree %" PetscInt_FMT, njunctions ? ", " : "", by_degree[d], d));
    PetscCall(HavocStrlcat(junctions, part, sizeof(junctions)));
    njunctions += by_degree[d];
  }
  for (PetscInt e = 0; e < mesh->nvessels; e++) {
    const HavocMeshVessel *v = &mesh->vessels[e];
    total += v->length;
    cells += HavocMeshVesselCells(v, dx, min_cells);
    r_min = PetscMin(r_min, PetscMin(v->r_prox, v->r_dist));
    r_max = PetscMax(r_max, PetscMax(v->r_prox, v->r_dist));
    if (v->length < mesh->vessels[shortest].length) shortest = e;
  }
  PetscCall(PetscViewerASCIIPrintf(viewer, "network '%s' (%s)\n", mesh->name, mesh->path));
  if (mesh->description[0]) PetscCall(PetscViewerASCIIPrintf(viewer, "  %s\n", mesh->description));
  PetscCall(PetscViewerASCIIPrintf(viewer, "  vessels:         %" PetscInt_FMT "\n", mesh->nvessels));
  PetscCall(PetscViewerASCIIPrintf(viewer, "  nodes:           %" PetscInt_FMT "\n", mesh->nnodes));
  PetscCall(PetscViewerASCIIPrintf(viewer, "  inlets:          %" PetscInt_FMT "\n", mesh->ninlets));
  PetscCall(PetscViewerASCIIPrintf(viewer, "  outlets:         %" PetscInt_FMT "\n", mesh->noutlets));
  PetscCall(PetscViewerASCIIPrintf(viewer, "  junctions:       %" PetscInt_FMT "%s%s%s\n", njunctions, njunctions ? " (" : "", junctions, njunctions ? ")" : ""));
  PetscCall(PetscViewerASCIIPrintf(viewer, "  loops:           %" PetscInt_FMT "\n", mesh->nloops));
  if (mesh->nlandmarks) PetscCall(PetscViewerASCIIPrintf(viewer, "  landmarks:       %" PetscInt_FMT "\n", mesh->nlandmarks));
  if (mesh->nterritories) PetscCall(PetscViewerASCIIPrintf(viewer, "  territories:     %" PetscInt_FMT "\n", mesh->nterritories));
  PetscCall(PetscViewerASCIIPrintf(viewer, "  total length:    %s mm\n", Num(total * 1e3, a)));
  PetscCall(PetscViewerASCIIPrintf(viewer, "  cells:           %" PetscInt64_FMT " at dx = %s mm, at least %" PetscInt_FMT " per vessel\n", cells, Num(dx * 1e3, a), min_cells));
  PetscCall(PetscViewerASCIIPrintf(viewer, "  radius:          %s mm to %s mm\n", Num(r_min * 1e3, a), Num(r_max * 1e3, b)));
  PetscCall(PetscViewerASCIIPrintf(viewer, "  shortest vessel: '%s', %s mm\n", mesh->vessels[shortest].name, Num(mesh->vessels[shortest].length * 1e3, a)));
  PetscFunctionReturn(0);
}

/* Vertex k of the polyline of a vessel: from, its points, to. */
static const PetscReal *PolylineVertex(HavocMesh mesh, const HavocMeshVessel *v, PetscInt k)
{
  if (k == 0) return mesh->nodes[v->from].x;
  if (k <= v->npoints) return &mesh->points[3 * (v->points_offset + k - 1)];
  return mesh->nodes[v->to].x;
}

static PetscReal SegmentLength(const PetscReal *a, const PetscReal *b)
{
  const PetscReal dx = b[0] - a[0], dy = b[1] - a[1], dz = b[2] - a[2];
  return PetscSqrtReal(dx * dx + dy * dy + dz * dz);
}

void HavocMeshVesselPoint(HavocMesh mesh, const HavocMeshVessel *v, PetscReal x, PetscReal r[3])
{
  const PetscInt m     = v->npoints + 2;
  PetscReal      total = 0, target, walked = 0;

  for (PetscInt k = 0; k + 1 < m; k++)
    total += SegmentLength(PolylineVertex(mesh, v, k), PolylineVertex(mesh, v, k + 1));
  target = total * PetscMin(PetscMax(x / v->length, 0), 1);
  for (PetscInt k = 0; k + 1 < m; k++) {
    const PetscReal *a = PolylineVertex(mesh, v, k), *b = PolylineVertex(mesh, v, k + 1);
    const PetscReal  seg = SegmentLength(a, b);

    if (walked + seg >= target || k + 2 == m) {
      const PetscReal w = seg > 0 ? PetscMin(PetscMax((target - walked) / seg, 0), 1) : 0;
      for (int d = 0; d < 3; d++)
        r[d] = a[d] + w * (b[d] - a[d]);
      return;
    }
    walked += seg;
  }
}
