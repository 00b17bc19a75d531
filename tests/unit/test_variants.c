/* Variant files and virtual patients: every documented check of a variant file with its file:line
   message, the operations (remove, add, add_nodes, set, outlet) on a small network, the face's variants
   (prevalences over 10,000 draws, every option and every pair of options valid, ranges respected) and
   the reproducibility of a seed. */
#define _POSIX_C_SOURCE 200809L /* mkdtemp */
#include "variants.h"

#include <check.h>
#include "unittest.h"
#include <float.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FACE_VARIANTS "meshes/face/variants.yaml"
#define NDRAWS        10000

static char tmpdir[64], label[128];

static PetscErrorCode ReadCapturing(const char *text, HavocVariants *v)
{
  PetscErrorCode ierr;

  captured[0] = 0;
  *v          = NULL;
  if (PetscPushErrorHandler(Capture, NULL)) return 1;
  ierr = HavocVariantsReadString(PETSC_COMM_WORLD, label, text, v);
  if (PetscPopErrorHandler()) return 1;
  return ierr;
}

static HavocVariants ReadOk(const char *text)
{
  HavocVariants v;

  ck_assert_msg(!ReadCapturing(text, &v), "valid variants rejected: %s", captured);
  return v;
}

static HavocVariants ReadFace(void)
{
  HavocVariants v = NULL;

  captured[0] = 0;
  ck_assert(!PetscPushErrorHandler(Capture, NULL));
  if (HavocVariantsRead(PETSC_COMM_WORLD, FACE_VARIANTS, &v)) v = NULL;
  ck_assert(!PetscPopErrorHandler());
  ck_assert_msg(v, "%s: %s", FACE_VARIANTS, captured);
  return v;
}

static HavocMesh Apply(HavocVariants v, const PetscInt choice[])
{
  HavocMesh mesh = NULL;

  captured[0] = 0;
  ck_assert(!PetscPushErrorHandler(Capture, NULL));
  if (HavocVariantsApply(v, choice, &mesh)) mesh = NULL;
  ck_assert(!PetscPopErrorHandler());
  ck_assert_msg(mesh, "%s", captured);
  return mesh;
}

static void ExpectClose(double got, double want, const char *what)
{
  ck_assert_msg(PetscAbsReal(got - want) <= 8 * DBL_EPSILON * PetscAbsReal(want), "%s: %.17g, expected %.17g", what, got, want);
}

static PetscInt Vessel(HavocMesh mesh, const char *name)
{
  PetscInt e;

  ck_assert(!HavocMeshFindVessel(mesh, name, &e));
  return e;
}

/* The base network of the small tests: trunk to node 2, a to the terminal 3, b to the junction 4, c and d
   to the terminals 5 and 6. */
static const char base_network[] = "format: havoc-network 1\n"
                                   "nodes:\n"
                                   "  - {id: 1, x: 0, y: 0, z: 0}\n"
                                   "  - {id: 2, x: 0, y: -10, z: 0}\n"
                                   "  - {id: 3, x: -5, y: -20, z: 0}\n"
                                   "  - {id: 4, x: 5, y: -20, z: 0}\n"
                                   "  - {id: 5, x: 0, y: -30, z: 0}\n"
                                   "  - {id: 6, x: 10, y: -30, z: 0}\n"
                                   "inlets:\n"
                                   "  - {node: 1}\n"
                                   "defaults: {E: 1 MPa, h: 0.1}\n"
                                   "vessels:\n"
                                   "  - {name: trunk, from: 1, to: 2, radius_prox: 1, radius_dist: 0.8, radius_range: [0.5, 2], length_range: [5, 20]}\n"
                                   "  - {name: a, from: 2, to: 3, radius: 0.5, outlet: {model: resistance, R: 1e10}}\n"
                                   "  - {name: b, from: 2, to: 4, radius: 0.5, length: 12, length_range: [11, 13]}\n"
                                   "  - {name: c, from: 4, to: 5, radius: 0.3, outlet: {model: resistance, R: 1e10}}\n"
                                   "  - {name: d, from: 4, to: 6, radius: 0.3, outlet: {model: resistance, R: 1e10}}\n";

/* Lines 1-3, then a group from line 4 whose first option is on line 7. */
#define HEADV                  \
  "format: havoc-variants 1\n" \
  "network: base.yaml\n"       \
  "groups:\n"                  \
  "  - name: g\n"              \
  "    source: a study\n"      \
  "    options:\n"
#define OPT(rest)  "      - {name: x, prevalence: 0.5" rest "}\n"
#define OTHER      "      - {name: y, prevalence: 0.5}\n"
#define GROUP2(op) "  - {name: h, source: another, options: [{name: z, prevalence: 1" op "}]}\n"

static const struct {
  const char *text;
  int         line;
  const char *words[2];
} bad[] = {
  {"", 1, {"empty file", "havoc-variants 1"}},
  {"format: havoc-variants 1\ngroups: [1\n", 3, {"invalid YAML", NULL}},
  {"- 1\n", 1, {"expected a mapping that starts with 'format", NULL}},
  {"network: base.yaml\n", 1, {"the first key must be 'format: havoc-variants 1'", "got 'network'"}},
  {"format: havoc-network 1\n", 1, {"unknown format 'havoc-network 1', expected 'havoc-variants 1'", NULL}},
  {"format: havoc-variants 2\n", 1, {"format 'havoc-variants 2' is not supported", NULL}},
  {"format: havoc-variants 1\ngroups: []\n", 1, {"missing 'network'", NULL}},
  {"format: havoc-variants 1\nnetwork: base.yaml\ncolour: red\n", 3, {"variants: unknown key 'colour'", "format, description, network, groups"}},
  {"format: havoc-variants 1\nnetwork: base.yaml\n", 1, {"variants: missing 'groups'", NULL}},
  {"format: havoc-variants 1\nnetwork: base.yaml\ngroups: []\n", 3, {"variants: groups: the list is empty", NULL}},
  {"format: havoc-variants 1\nnetwork: [base.yaml]\n", 2, {"network: expected a single value, got a list", NULL}},
  {"format: havoc-variants 1\nnetwork: base.yaml\ngroups:\n  - {name: g, options: [{name: x, prevalence: 1}]}\n", 4, {"group 'g': missing 'source'", NULL}},
  {"format: havoc-variants 1\nnetwork: base.yaml\ngroups:\n  - {source: s, options: [{name: x, prevalence: 1}]}\n", 4, {"group: missing 'name'", NULL}},
  {"format: havoc-variants 1\nnetwork: base.yaml\ngroups:\n  - {name: g, source: s}\n", 4, {"group 'g': missing 'options'", NULL}},
  {"format: havoc-variants 1\nnetwork: base.yaml\ngroups:\n  - {name: g, source: s, options: []}\n", 4, {"group 'g': options: the list is empty", NULL}},
  {"format: havoc-variants 1\nnetwork: base.yaml\ngroups:\n  - {name: g g, source: s, options: [{name: x, prevalence: 1}]}\n", 4, {"group 'g g': a name may only contain", NULL}},
  {HEADV OPT("") OTHER GROUP2("") "  - {name: g, source: s, options: [{name: x, prevalence: 1}]}\n", 10, {"group 'g': name already used at line 4", NULL}},
  {HEADV OPT("") "      - {name: x, prevalence: 0.5}\n", 8, {"group 'g', option 'x': name already used at line 7", NULL}},
  {HEADV "      - {name: x}\n", 7, {"group 'g', option 'x': missing 'prevalence'", NULL}},
  {HEADV "      - {name: x, prevalence: 50}\n", 7, {"group 'g', option 'x': prevalence must be in [0, 1] (a fraction, not a percentage), got '50'", NULL}},
  {HEADV "      - {name: x, prevalence: half}\n", 7, {"group 'g', option 'x': prevalence: 'half': not a number", NULL}},
  {HEADV "      - {name: x, prevalence: 0.5 mm}\n", 7, {"group 'g', option 'x': prevalence: expected a dimensionless number", NULL}},
  {HEADV OPT("") "      - {name: y, prevalence: 0.4}\n", 4, {"group 'g': the prevalences of its options sum to 0.9, not 1 (normalize them)", NULL}},
  {HEADV OPT(", delete: [a]") OTHER, 7, {"group 'g': option: unknown key 'delete'", "remove, add, add_nodes, set, outlet"}},
  {HEADV OPT(", remove: [nope]") OTHER, 7, {"group 'g', option 'x': remove: no vessel 'nope' in ", "base.yaml"}},
  {HEADV OPT(", remove: [c, c]") OTHER, 7, {"group 'g', option 'x': remove: vessel 'c' named twice", NULL}},
  {HEADV OPT(", remove: c") OTHER, 7, {"group 'g', option 'x': remove: expected a list, got a value", NULL}},
  {HEADV OPT(", set: {nope: {radius: 1}}") OTHER, 7, {"group 'g', option 'x': set: no vessel 'nope' in ", NULL}},
  {HEADV OPT(", set: {a: {name: z}}") OTHER, 7, {"group 'g', option 'x': set: a: 'name' is not a key a vessel's entry may change", NULL}},
  {HEADV OPT(", set: {a: {colour: red}}") OTHER, 7, {"set: a: 'colour' is not a key a vessel's entry may change", NULL}},
  {HEADV OPT(", set: {a: 1}") OTHER, 7, {"group 'g', option 'x': set: a: expected a mapping {key: value, ...}, got a value", NULL}},
  {HEADV OPT(", set: [a]") OTHER, 7, {"group 'g', option 'x': set: expected a mapping {vessel: {key: value, ...}}, got a list", NULL}},
  {HEADV OPT(", remove: [c], set: {c: {radius: 1}}") OTHER, 7, {"group 'g', option 'x': set: vessel 'c' is removed by this option", NULL}},
  {HEADV OPT(", outlet: {nope: {model: resistance, R: 1e10}}") OTHER, 7, {"group 'g', option 'x': outlet: no vessel 'nope' in ", NULL}},
  {HEADV OPT(", add: [{name: a, from: 2, to: 4, radius: 1}]") OTHER, 7, {"group 'g', option 'x': add: vessel 'a' is already in ", "remove it in the same option"}},
  {HEADV OPT(", add: [{from: 2, to: 4, radius: 1}]") OTHER, 7, {"group 'g', option 'x': add: every vessel needs a 'name'", NULL}},
  {HEADV OPT(", add_nodes: [{id: 2, x: 0, y: 0, z: 0}]") OTHER, 7, {"group 'g', option 'x': add_nodes: node 2 is already in ", NULL}},
  {HEADV OPT(", add_nodes: [{x: 0, y: 0, z: 0}]") OTHER, 7, {"group 'g', option 'x': add_nodes: every node needs an integer 'id'", NULL}},
  {HEADV OPT(", set: {a: {radius: 0.6}}") OTHER GROUP2(", remove: [a]"), 9, {"group 'h': vessel 'a' is also changed by group 'g' (line 7); two groups may not change the same vessel", NULL}},
  {HEADV OPT(", add_nodes: [{id: 9, x: 0, y: 0, z: 0}]") OTHER GROUP2(", add_nodes: [{id: 9, x: 1, y: 0, z: 0}]"), 9, {"group 'h', option 'z': add_nodes: node 9 is added by another option too", NULL}},
  /* options that give an invalid network: the network reader's message, placed at the option */
  {HEADV OPT(", remove: [c, d]") OTHER, 7, {"group 'g', option 'x': the network it gives is invalid: vessel 'b' ends at node 4, which no other vessel joins: it needs an 'outlet'", NULL}},
  {HEADV OPT(", set: {a: {radius: -1}}") OTHER, 7, {"group 'g', option 'x': the network it gives is invalid: vessel 'a': radius must be > 0, got '-1'", NULL}},
  {HEADV OPT(", set: {trunk: {length: 30}}") OTHER, 7, {"the network it gives is invalid: vessel 'trunk': its length, 30 mm, is outside its length_range [5, 20] mm", NULL}},
  {HEADV OPT(", add: [{name: e, from: 4, to: 9, radius: 1}]") OTHER, 7, {"the network it gives is invalid: vessel 'e': to: no node has id 9", NULL}},
  {HEADV OPT(", outlet: {b: {model: resistance, R: 1e10}}") OTHER, 7, {"the network it gives is invalid: vessel 'b' has an outlet but no free end", NULL}},
};

START_TEST(rejects)
{
  HavocVariants  v;
  PetscErrorCode ierr = ReadCapturing(bad[_i].text, &v);
  char           where[192];

  ck_assert_msg(ierr == PETSC_ERR_USER_INPUT, "case %d: error %d (%s)", _i, (int)ierr, captured);
  ck_assert_msg(!v, "case %d: variants were returned", _i);
  snprintf(where, sizeof(where), "%s:%d: ", label, bad[_i].line);
  ck_assert_msg(!strncmp(captured, where, strlen(where)), "case %d: '%s' does not start with '%s'", _i, captured, where);
  for (int k = 0; k < 2; k++)
    ck_assert_msg(!bad[_i].words[k] || strstr(captured, bad[_i].words[k]), "case %d: '%s' does not contain '%s'", _i, captured, bad[_i].words[k]);
}
END_TEST

START_TEST(missing_files)
{
  HavocVariants  v = NULL;
  PetscErrorCode ierr;
  char           want[256];

  ierr = ReadCapturing("format: havoc-variants 1\nnetwork: nowhere.yaml\n", &v);
  ck_assert_int_eq(ierr, PETSC_ERR_FILE_OPEN);
  snprintf(want, sizeof(want), "cannot open network file '%s/nowhere.yaml': No such file or directory", tmpdir);
  ck_assert_str_eq(captured, want);
  captured[0] = 0;
  ck_assert(!PetscPushErrorHandler(Capture, NULL));
  ierr = HavocVariantsRead(PETSC_COMM_WORLD, "/nonexistent/variants.yaml", &v);
  ck_assert(!PetscPopErrorHandler());
  ck_assert_int_eq(ierr, PETSC_ERR_FILE_OPEN);
  ck_assert_str_eq(captured, "cannot open variant file '/nonexistent/variants.yaml': No such file or directory");
  ck_assert(!v);
}
END_TEST

/* Every operation on the small network. */
START_TEST(operations)
{
  HavocVariants v         = ReadOk(HEADV "      - {name: none, prevalence: 0.2}\n"                                                           /* 7 */
                                         "      - {name: cut, prevalence: 0.2, remove: [c, d], outlet: {b: {model: resistance, R: 2e10}}}\n" /* 8 */
                                         "      - {name: more, prevalence: 0.2, add_nodes: [{id: 7, x: 9, y: -40, z: 0}], "                  /* 9 */
                                         "add: [{name: e, from: 4, to: 7, radius: 0.2, outlet: {model: resistance, R: 3e10}}], set: {c: {radius: 0.4}}}\n"
                                                 "      - {name: wider, prevalence: 0.2, set: {c: {radius: 0.45, h: 0.2 mm}}}\n" /* 10 */
                                         "      - {name: swap, prevalence: 0.2, remove: [a], add: [{name: a, from: 2, to: 3, radius: 0.25, outlet: {model: reflection, Rt: 0}}]}\n"
                                                 "  - {name: other, source: s, options: [{name: longer, prevalence: 1, set: {trunk: {length: 15}}}]}\n");
  PetscInt      choice[2] = {-1, -1};
  HavocMesh     mesh;

  ck_assert_int_eq(v->ngroups, 2);
  ck_assert_int_eq(v->noptions, 6);
  ck_assert_str_eq(v->groups[0].name, "g");
  ck_assert_str_eq(v->groups[0].source, "a study");
  ck_assert_int_eq(v->groups[0].noptions, 5);
  ck_assert_int_eq(v->groups[1].first, 5);
  ck_assert_str_eq(v->options[1].name, "cut");
  ck_assert_int_eq(v->options[1].line, 8);
  ck_assert(PetscAbsReal(v->groups[0].total - 1) < 1e-15);
  ck_assert_int_eq(v->base->nvessels, 5);

  mesh = Apply(v, NULL); /* the base network */
  ck_assert_int_eq(mesh->nvessels, 5);
  ck_assert(!HavocMeshDestroy(&mesh));

  choice[0] = 1; /* the free ends of c and d go, and b becomes a terminal with an outlet */
  mesh      = Apply(v, choice);
  ck_assert_int_eq(mesh->nvessels, 3);
  ck_assert_int_eq(mesh->nnodes, 4);
  ck_assert_int_eq(Vessel(mesh, "c"), -1);
  ck_assert(mesh->vessels[Vessel(mesh, "b")].outlet_param[0] == 2e10);
  ck_assert(!HavocMeshDestroy(&mesh));

  choice[0] = 2;
  mesh      = Apply(v, choice);
  ck_assert_int_eq(mesh->nvessels, 6);
  ck_assert_int_eq(mesh->nnodes, 7);
  ExpectClose(mesh->vessels[Vessel(mesh, "e")].r_prox, 0.2e-3, "radius of the added vessel");
  ExpectClose(mesh->vessels[Vessel(mesh, "c")].r_prox, 0.4e-3, "radius set");
  ck_assert(!HavocMeshDestroy(&mesh));

  choice[0] = 3;
  choice[1] = 0; /* and the other group at the same time */
  mesh      = Apply(v, choice);
  ExpectClose(mesh->vessels[Vessel(mesh, "c")].r_prox, 0.45e-3, "radius set");
  ExpectClose(mesh->vessels[Vessel(mesh, "c")].h, 0.2e-3, "h set with its unit");
  ExpectClose(mesh->vessels[Vessel(mesh, "trunk")].length, 15e-3, "length set by the other group");
  ck_assert(!HavocMeshDestroy(&mesh));

  choice[0] = 4; /* a vessel replaced by one of the same name goes to the end of the list */
  choice[1] = -1;
  mesh      = Apply(v, choice);
  ck_assert_int_eq(Vessel(mesh, "a"), 4);
  ExpectClose(mesh->vessels[4].r_prox, 0.25e-3, "radius of the replacement");
  ck_assert(!HavocMeshDestroy(&mesh));
  ck_assert(!HavocVariantsDestroy(&v));

  /* an outlet for a vessel the option removes */
  ck_assert_int_eq(ReadCapturing(HEADV "      - {name: x, prevalence: 1, remove: [d], outlet: {d: {model: resistance, R: 1e10}}}\n", &v), PETSC_ERR_USER_INPUT);
  ck_assert_msg(strstr(captured, ":7: group 'g', option 'x': outlet: vessel 'd' is removed by this option"), "%s", captured);
}
END_TEST

/* The radius and length of a vessel with ranges are drawn within them, keeping the taper and h/r. */
START_TEST(ranges)
{
  HavocVariants v     = ReadOk(HEADV "      - {name: x, prevalence: 1}\n");
  HavocRng      rng   = {42};
  PetscReal     lo[2] = {1, 1}, hi[2] = {0, 0};

  for (int k = 0; k < 200; k++) {
    HavocMesh              mesh = Apply(v, NULL);
    const HavocMeshVessel *t = &mesh->vessels[0], *b = &mesh->vessels[2], *a = &mesh->vessels[1];
    PetscInt               nr, nl;

    ck_assert(!HavocMeshDrawWithinRanges(mesh, &rng, &nr, &nl));
    ck_assert_int_eq(nr, 1);
    ck_assert_int_eq(nl, 2);
    ck_assert(t->r_prox >= 0.5e-3 && t->r_prox <= 2e-3);
    ck_assert(t->length >= 5e-3 && t->length <= 20e-3);
    ck_assert(b->length >= 11e-3 && b->length <= 13e-3);
    ck_assert_msg(PetscAbsReal(t->r_dist / t->r_prox - 0.8) < 4 * DBL_EPSILON, "taper %.17g", t->r_dist / t->r_prox);
    ck_assert_msg(PetscAbsReal(t->h / t->r_prox - 0.1) < 4 * DBL_EPSILON, "h/r %.17g", t->h / t->r_prox);
    ck_assert(PetscAbsReal(t->beta - HavocTubeBeta(t->E, t->h)) <= 4 * DBL_EPSILON * t->beta);
    ck_assert(a->r_prox == 0.5e-3 && a->length == mesh->vessels[1].length); /* no range: unchanged */
    lo[0] = PetscMin(lo[0], t->r_prox / 2e-3);
    hi[0] = PetscMax(hi[0], t->r_prox / 2e-3);
    lo[1] = PetscMin(lo[1], t->length / 20e-3);
    hi[1] = PetscMax(hi[1], t->length / 20e-3);
    ck_assert(!HavocMeshDestroy(&mesh));
  }
  /* 200 uniform draws reach both ends of the ranges */
  ck_assert(lo[0] < 0.3 && hi[0] > 0.95 && lo[1] < 0.3 && hi[1] > 0.95);
  ck_assert(!HavocVariantsDestroy(&v));
}
END_TEST

/* Over 10,000 draws every option comes up with its prevalence, within 2 % absolute. */
START_TEST(face_prevalences)
{
  HavocVariants v   = ReadFace();
  HavocRng      rng = {2024};
  PetscInt     *choice, *count;

  ck_assert(!PetscMalloc1(v->ngroups, &choice));
  ck_assert(!PetscCalloc1(v->noptions, &count));
  for (int n = 0; n < NDRAWS; n++) {
    ck_assert(!HavocVariantsDraw(v, &rng, choice));
    for (PetscInt g = 0; g < v->ngroups; g++)
      count[v->groups[g].first + choice[g]]++;
  }
  printf("  prevalences over %d draws (seed 2024): group, option, file, drawn\n", NDRAWS);
  for (PetscInt g = 0; g < v->ngroups; g++) {
    for (PetscInt k = 0; k < v->groups[g].noptions; k++) {
      const HavocVariantOption *o    = &v->options[v->groups[g].first + k];
      const PetscReal           want = o->prevalence / v->groups[g].total, got = (PetscReal)count[v->groups[g].first + k] / NDRAWS;
      printf("    %-22s %-16s %.4f %.4f\n", v->groups[g].name, o->name, (double)want, (double)got);
      ck_assert_msg(PetscAbsReal(got - want) <= 0.02, "%s: %s drawn %.4f of the time, prevalence %.4f", v->groups[g].name, o->name, (double)got, (double)want);
    }
  }
  ck_assert(!PetscFree(count));
  ck_assert(!PetscFree(choice));
  ck_assert(!HavocVariantsDestroy(&v));
}
END_TEST

static char *SampleText(HavocVariants v, unsigned long long seed)
{
  PetscInt *choice;
  HavocMesh mesh;
  char     *text;

  ck_assert(!PetscMalloc1(v->ngroups, &choice));
  ck_assert(!HavocVariantsSample(v, seed, choice, &mesh));
  ck_assert(!HavocMeshWriteString(mesh, &text));
  ck_assert(!HavocMeshDestroy(&mesh));
  ck_assert(!PetscFree(choice));
  return text;
}

START_TEST(face_seeds)
{
  HavocVariants v = ReadFace();
  char         *a = SampleText(v, 1), *b = SampleText(v, 1), *c = SampleText(v, 2);

  ck_assert(!strcmp(a, b));
  ck_assert(strcmp(a, c));
  ck_assert(!PetscFree(a));
  ck_assert(!PetscFree(b));
  ck_assert(!PetscFree(c));
  ck_assert(!HavocVariantsDestroy(&v));
}
END_TEST

/* The default network is one option of every group: applying the defaults changes nothing. */
START_TEST(face_default)
{
  HavocVariants v             = ReadFace();
  const char   *defaults[][2] = {
      {"angular_artery_l", "persistent"},
      {"angular_artery_r", "persistent"},
      {"facial_termination_l", "medial_canthal"},
      {"facial_termination_r", "medial_canthal"},
      {"columellar_branch", "bilateral"},
      {"dorsal_nasal_artery", "bilateral"},
  };
  PetscInt *choice;
  HavocMesh mesh;
  char     *a, *b;

  ck_assert_int_eq(v->ngroups, 6);
  ck_assert(!PetscMalloc1(v->ngroups, &choice));
  for (PetscInt i = 0; i < 6; i++) {
    PetscInt g;
    ck_assert(!HavocVariantsFindGroup(v, defaults[i][0], &g));
    ck_assert_msg(g >= 0, "no group %s", defaults[i][0]);
    choice[g] = -1;
    for (PetscInt k = 0; k < v->groups[g].noptions; k++)
      if (!strcmp(v->options[v->groups[g].first + k].name, defaults[i][1])) choice[g] = k;
    ck_assert_msg(choice[g] >= 0, "no option %s", defaults[i][1]);
  }
  mesh = Apply(v, choice);
  ck_assert(!HavocMeshWriteString(mesh, &a));
  ck_assert(!HavocMeshWriteString(v->base, &b));
  ck_assert_str_eq(a, b);
  ck_assert(!PetscFree(a));
  ck_assert(!PetscFree(b));
  ck_assert(!HavocMeshDestroy(&mesh));
  ck_assert(!PetscFree(choice));
  ck_assert(!HavocVariantsDestroy(&v));
}
END_TEST

/* Every option of every group alone, every pair of options of two groups, the combinations that remove
   the most vessels, and random draws of one option per group give valid networks. Options of different
   groups interact either at a node (a vessel left with a free end, an outlet on a vessel that another
   group joins, the number of vessels at a node), which the pairs cover because no node of the face joins
   vessels of more than two groups, or through the connectivity of the whole network, which only removals
   can break and which holds for fewer removals if it holds for more. (All 3072 combinations take some
   15 s, mostly in libyaml.) */
static PetscInt OptionIndex(HavocVariants v, PetscInt g, const char *name)
{
  for (PetscInt k = 0; k < v->groups[g].noptions; k++)
    if (!strcmp(v->options[v->groups[g].first + k].name, name)) return k;
  ck_abort_msg("group %s has no option %s", v->groups[g].name, name);
  return -1;
}

START_TEST(face_combinations)
{
  HavocVariants v   = ReadFace();
  HavocRng      rng = {7};
  PetscInt     *choice;
  HavocMesh     mesh;

  ck_assert(!PetscMalloc1(v->ngroups, &choice));
  for (PetscInt g = 0; g < v->ngroups; g++) {
    for (PetscInt h = g; h < v->ngroups; h++) {
      for (PetscInt n = 0; n < v->groups[g].noptions * v->groups[h].noptions; n++) {
        for (PetscInt i = 0; i < v->ngroups; i++)
          choice[i] = -1;
        choice[g] = n % v->groups[g].noptions;
        if (h > g) choice[h] = n / v->groups[g].noptions;
        else if (n >= v->groups[g].noptions) continue;
        mesh = Apply(v, choice);
        ck_assert_int_ge(mesh->noutlets, v->base->noutlets);
        ck_assert(!HavocMeshDestroy(&mesh));
      }
    }
  }
  for (int side = 0; side < 2; side++) {
    const char *most[6][2] = {
      {"angular_artery_l", "absent"},
      {"angular_artery_r", "absent"},
      {"facial_termination_l", "labial"},
      {"facial_termination_r", "labial"},
      {"columellar_branch", "absent"},
      {"dorsal_nasal_artery", side ? "single_right" : "single_left"},
    };
    ck_assert_int_eq(v->ngroups, 6);
    for (PetscInt i = 0; i < 6; i++) {
      PetscInt g;
      ck_assert(!HavocVariantsFindGroup(v, most[i][0], &g));
      choice[g] = OptionIndex(v, g, most[i][1]);
    }
    mesh = Apply(v, choice);
    ck_assert(!HavocMeshDestroy(&mesh));
  }
  for (int n = 0; n < 300; n++) {
    ck_assert(!HavocVariantsDraw(v, &rng, choice));
    mesh = Apply(v, choice);
    ck_assert(!HavocMeshDestroy(&mesh));
  }
  ck_assert(!PetscFree(choice));
  ck_assert(!HavocVariantsDestroy(&v));
}
END_TEST

/* What the options do to the face: the vessels they remove are gone, the ones they add are there. */
START_TEST(face_options)
{
  HavocVariants v = ReadFace();
  PetscInt      g, choice[6];
  HavocMesh     mesh;
  const struct {
    const char *group, *option, *gone[4], *there[2];
  } expect[] = {
    {"angular_artery_l", "absent", {"angular_l", "angular_2_l"}, {"infraorbital_angular_l", "angular_dorsal_nasal_l"}},
    {"angular_artery_r", "ophthalmic", {"angular_r"}, {"angular_2_r"}},
    {"facial_termination_l", "labial", {"facial_4_l"}, {"lateral_nasal_l", "angular_l"}},
    {"facial_termination_r", "duplex", {NULL}, {"facial_lateral_r", "facial_4_r"}},
    {"columellar_branch", "absent", {"columellar_l", "columellar_r", "columellar_lateral_nasal_l", "columellar_lateral_nasal_r"}, {"superior_labial_mid"}},
    {"dorsal_nasal_artery", "single_right", {"dorsal_nasal_l"}, {"dorsal_nasal_r", "dorsal_nasal_mid"}},
  };

  ck_assert_int_eq(v->ngroups, 6);
  for (PetscInt i = 0; i < 6; i++) {
    for (PetscInt h = 0; h < 6; h++)
      choice[h] = -1;
    ck_assert(!HavocVariantsFindGroup(v, expect[i].group, &g));
    for (PetscInt k = 0; k < v->groups[g].noptions; k++)
      if (!strcmp(v->options[v->groups[g].first + k].name, expect[i].option)) choice[g] = k;
    mesh = Apply(v, choice);
    for (int k = 0; k < 4 && expect[i].gone[k]; k++)
      ck_assert_msg(Vessel(mesh, expect[i].gone[k]) < 0, "%s: %s is still there", expect[i].option, expect[i].gone[k]);
    for (int k = 0; k < 2 && expect[i].there[k]; k++)
      ck_assert_msg(Vessel(mesh, expect[i].there[k]) >= 0, "%s: %s is missing", expect[i].option, expect[i].there[k]);
    if (!strcmp(expect[i].option, "single_right")) ExpectClose(mesh->vessels[Vessel(mesh, "dorsal_nasal_r")].r_prox, 0.35e-3, "single dorsal nasal artery");
    ck_assert(!HavocMeshDestroy(&mesh));
  }
  ck_assert(!HavocVariantsDestroy(&v));
}
END_TEST

/* A sampled face has every ranged vessel within its range with the taper and h/r the options gave
   it, everything else as the options gave it, and no vessel the base network lacks but the added ones. */
START_TEST(face_sample_ranges)
{
  HavocVariants v = ReadFace();
  PetscInt      choice[6];

  for (unsigned long long seed = 1; seed <= 5; seed++) {
    HavocMesh mesh, applied;
    ck_assert(!HavocVariantsSample(v, seed, choice, &mesh));
    applied = Apply(v, choice);
    ck_assert_int_eq(mesh->nvessels, applied->nvessels);
    for (PetscInt e = 0; e < mesh->nvessels; e++) {
      const HavocMeshVessel *s = &mesh->vessels[e], *b = &applied->vessels[e];

      ck_assert_str_eq(s->name, b->name);
      ck_assert_msg(Vessel(v->base, s->name) >= 0 || strstr(s->name, "facial_lateral"), "%s is not in the base network", s->name);
      if (s->r_range[1] > 0) {
        ck_assert(s->r_prox >= s->r_range[0] && s->r_prox <= s->r_range[1]);
        ck_assert_msg(PetscAbsReal(s->r_dist / s->r_prox - b->r_dist / b->r_prox) < 8 * DBL_EPSILON, "%s: taper", s->name);
        ck_assert_msg(PetscAbsReal(s->h / s->r_prox - b->h / b->r_prox) < 8 * DBL_EPSILON, "%s: h/r", s->name);
      } else ck_assert(s->r_prox == b->r_prox && s->r_dist == b->r_dist);
      if (s->L_range[1] > 0) ck_assert(s->length >= s->L_range[0] && s->length <= s->L_range[1]);
      else ck_assert(s->length == b->length);
      for (int k = 0; k < HAVOC_OUTLET_MAXPARAM; k++)
        ck_assert(s->outlet_param[k] == b->outlet_param[k]);
    }
    ck_assert(!HavocMeshDestroy(&applied));
    ck_assert(!HavocMeshDestroy(&mesh));
  }
  ck_assert(!HavocVariantsDestroy(&v));
}
END_TEST

int main(int argc, char **argv)
{
  Suite *suite = suite_create("variants");
  TCase *read = tcase_create("read"), *face = tcase_create("face"), *pairs = tcase_create("pairs");
  FILE  *f;
  char   path[128];
  int    failed;

  if (PetscInitialize(&argc, &argv, NULL, NULL)) return 1;
  snprintf(tmpdir, sizeof(tmpdir), "/tmp/havoc-test-variants-XXXXXX");
  if (!mkdtemp(tmpdir)) return 1;
  snprintf(label, sizeof(label), "%s/variants.yaml", tmpdir);
  snprintf(path, sizeof(path), "%s/base.yaml", tmpdir);
  if (!(f = fopen(path, "w"))) return 1;
  fputs(base_network, f);
  fclose(f);
  tcase_set_timeout(face, 120);
  tcase_add_loop_test(read, rejects, 0, (int)(sizeof(bad) / sizeof(bad[0])));
  tcase_add_test(read, missing_files);
  tcase_add_test(read, operations);
  tcase_add_test(read, ranges);
  tcase_add_test(face, face_prevalences);
  tcase_add_test(face, face_seeds);
  tcase_add_test(face, face_default);
  tcase_add_test(face, face_options);
  tcase_add_test(face, face_sample_ranges);
  /* every pair of options: the code of face_options hundreds of times, too slow under valgrind
     (tests/cli/valgrind.sh runs with CK_EXCLUDE_TAGS=slow) */
  tcase_set_timeout(pairs, 120);
  tcase_set_tags(pairs, "slow");
  tcase_add_test(pairs, face_combinations);
  suite_add_tcase(suite, read);
  suite_add_tcase(suite, face);
  suite_add_tcase(suite, pairs);
  failed = HavocRunSuite(suite);
  unlink(path);
  rmdir(tmpdir);
  if (PetscFinalize()) return 1;
  return failed ? 1 : 0;
}
