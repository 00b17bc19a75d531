/* Network files: every documented check with its file:line message, a valid network with a loop, a
   degree-5 junction and mixed orientations, the diastolic-reference vessel, write/read round trips and
   the synthetic tree generator. */
#define _POSIX_C_SOURCE 200809L /* mkdtemp */
#include "mesh.h"

#include <check.h>
#include "unittest.h"
#include <float.h>
#include <petscviewer.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define REL_TOL (8 * DBL_EPSILON)

static char tmpdir[64];

static PetscErrorCode ReadCapturing(const char *text, HavocMesh *mesh)
{
  PetscErrorCode ierr;

  captured[0] = 0;
  *mesh       = NULL;
  if (PetscPushErrorHandler(Capture, NULL)) return 1;
  ierr = HavocMeshReadString(PETSC_COMM_WORLD, "bad.yaml", text, mesh);
  if (PetscPopErrorHandler()) return 1;
  return ierr;
}

static HavocMesh ReadOk(const char *label, const char *text)
{
  HavocMesh mesh = NULL;

  if (PetscPushErrorHandler(Capture, NULL)) return NULL;
  captured[0] = 0;
  if (HavocMeshReadString(PETSC_COMM_WORLD, label, text, &mesh)) mesh = NULL;
  if (PetscPopErrorHandler()) return NULL;
  ck_assert_msg(mesh, "valid network rejected: %s", captured);
  return mesh;
}

static void Destroy(HavocMesh *mesh)
{
  ck_assert(!HavocMeshDestroy(mesh));
}

static void ExpectClose(double got, double want, const char *what)
{
  ck_assert_msg(PetscAbsReal(got - want) <= REL_TOL * PetscAbsReal(want), "%s: %.17g, expected %.17g", what, got, want);
}

/* Lines 1-7 of a small network; line 8 is its vessel. */
#define HEAD                          \
  "format: havoc-network 1\n"         \
  "nodes:\n"                          \
  "  - {id: 1, x: 0, y: 0, z: 0}\n"   \
  "  - {id: 2, x: 0, y: -10, z: 0}\n" \
  "inlets:\n"                         \
  "  - {node: 1}\n"                   \
  "vessels:\n"
#define WALL   "radius: 1, E: 700 kPa, h: 0.1"
#define OUTLET "outlet: {model: resistance, R: 1e9}"
#define VESSEL "  - {name: a, from: 1, to: 2, " WALL ", " OUTLET "}\n"
/* Three nodes in a row, inlet at 1: lines 1-9, vessels from line 10. */
#define HEAD3                         \
  "format: havoc-network 1\n"         \
  "nodes:\n"                          \
  "  - {id: 1, x: 0, y: 0, z: 0}\n"   \
  "  - {id: 2, x: 0, y: -10, z: 0}\n" \
  "  - {id: 3, x: 0, y: -20, z: 0}\n" \
  "inlets:\n"                         \
  "  - {node: 1}\n"                   \
  "vessels:\n"                        \
  "  - {name: a, from: 1, to: 2, " WALL "}\n"

/* Landmarks on lines 2-3; what follows starts on line 4. */
#define LM "format: havoc-network 1\nlandmarks:\n  - {name: nasion, x: 0, y: 0, z: 0}\n"
/* A territory list on lines 4-5 around one entry. */
#define TERR(entry) LM "territories:\n  - {name: t, " entry "}\n"
/* A whole network with landmarks and a territory: lines 1-12; its vessel is line 13. */
#define FACE_HEAD                                     \
  LM "  - {name: tip, x: 0, y: -42, z: 28}\n"         \
     "territories:\n"                                 \
     "  - {name: nose, tissue: skin, seeds: [tip]}\n" \
     "nodes:\n"                                       \
     "  - {id: 1, at: nasion}\n"                      \
     "  - {id: 2, at: tip, dy: 2}\n"                  \
     "inlets:\n"                                      \
     "  - {node: 1}\n"                                \
     "vessels:\n"

static const struct {
  const char *text;
  const char *where; /* "bad.yaml:LINE:" */
  const char *words[2];
} bad[] = {
  /* YAML syntax, format, keys */
  {"format: havoc-network 1\nname: a: b\n", "bad.yaml:2:", {"invalid YAML", "mapping values"}},
  {"", "bad.yaml:1:", {"empty file", "havoc-network 1"}},
  {"- 1\n- 2\n", "bad.yaml:1:", {"expected a mapping", "format"}},
  {"name: x\nformat: havoc-network 1\n", "bad.yaml:1:", {"first key must be 'format", "got 'name'"}},
  {"format: openBF 1\n", "bad.yaml:1:", {"unknown format 'openBF 1'", "havoc-network 1"}},
  {"format: havoc-network 2\n", "bad.yaml:1:", {"'havoc-network 2' is not supported", "havoc-network 1"}},
  {"format: havoc-network\n", "bad.yaml:1:", {"is not supported", "havoc-network 1"}},
  {HEAD VESSEL "colour: red\n", "bad.yaml:9:", {"unknown key 'colour'", "format, name, description"}},
  {HEAD VESSEL "---\nformat: havoc-network 1\n", "bad.yaml:10:", {"second YAML document", "one"}},
  {"format: havoc-network 1\nnodes:\n  - {id: 1, x: 0, y: 0, z: 0, w: 1}\n", "bad.yaml:3:", {"node: unknown key 'w'", "id, x, y, z"}},
  {"format: havoc-network 1\nnodes:\n  - {id: 1, x: 0, y: 0, z: 0}\ninlets:\n  - {node: 1, flow: 2}\n", "bad.yaml:5:", {"inlet: unknown key 'flow'", "node, name, scale"}},
  {HEAD "  - {name: a, from: 1, to: 2, radiuss: 1, E: 700 kPa, h: 0.1, " OUTLET "}\n", "bad.yaml:8:", {"vessel: unknown key 'radiuss'", "radius_prox"}},
  {HEAD "  - {name: a, from: 1, to: 2, " WALL ", outlet: {model: resistance, R: 1e9, C: 1}}\n", "bad.yaml:8:", {"vessel 'a': outlet: unknown key 'C'", "model, R, p_out"}},
  {"format: havoc-network 1\ndefaults:\n  zeta: 2\n  name: x\n", "bad.yaml:4:", {"defaults: unknown key 'name'", "territory"}},
  {HEAD "  - {name: a, name: b, from: 1, to: 2, " WALL ", " OUTLET "}\n", "bad.yaml:8:", {"key 'name' given twice", "line 8"}},
  /* wrong types and units */
  {"format: havoc-network 1\nnodes:\n  - {id: one, x: 0, y: 0, z: 0}\n", "bad.yaml:3:", {"node: id: expected an integer", "'one'"}},
  {"format: havoc-network 1\nnodes:\n  - {id: 1.5, x: 0, y: 0, z: 0}\n", "bad.yaml:3:", {"expected an integer", "'1.5'"}},
  {"format: havoc-network 1\nnodes: {id: 1}\n", "bad.yaml:2:", {"nodes: expected a list", "a mapping"}},
  {"format: havoc-network 1\nnodes:\n  - [1, 0, 0, 0]\n", "bad.yaml:3:", {"node: expected a mapping", "a list"}},
  {HEAD "  - {name: a, from: 1, to: 2, radius: [1, 2], E: 700 kPa, h: 0.1, " OUTLET "}\n", "bad.yaml:8:", {"radius: expected a single value", "a list"}},
  {HEAD "  - {name: a, from: 1, to: 2, radius: 1 kPa, E: 700 kPa, h: 0.1, " OUTLET "}\n", "bad.yaml:8:", {"vessel 'a': radius: expected a length (e.g. 'mm'), got 'kPa' (a pressure)", NULL}},
  {HEAD "  - {name: a, from: 1, to: 2, radius: 1 mmm, E: 700 kPa, h: 0.1, " OUTLET "}\n", "bad.yaml:8:", {"radius: '1 mmm': unknown unit 'mmm'", NULL}},
  {HEAD "  - {name: a, from: 1, to: 2, radius: thick, E: 700 kPa, h: 0.1, " OUTLET "}\n", "bad.yaml:8:", {"radius: 'thick': not a number", NULL}},
  {HEAD "  - {name: a, from: 1, to: 2, radius: '', E: 700 kPa, h: 0.1, " OUTLET "}\n", "bad.yaml:8:", {"radius: missing value", NULL}},
  {"format: havoc-network 1\nnodes:\n  - {id: 1, x: 0 s, y: 0, z: 0}\n", "bad.yaml:3:", {"node 1: x: expected a length", "got 's' (a time)"}},
  {"format: havoc-network 1\ndefaults:\n  zeta: 2\n  E: 3 mm\n", "bad.yaml:4:", {"defaults: E: expected a pressure", "'mm'"}},
  {HEAD "  - {name: a, from: 1, to: 2, " WALL ", outlet: {model: resistance, R: 3 mm}}\n", "bad.yaml:8:", {"outlet: R: expected a resistance (e.g. 'Pa s m^-3')", "got 'mm' (a length)"}},
  {HEAD "  - {name: a, from: 1, to: 2, " WALL ", points: [[1, 2]], " OUTLET "}\n", "bad.yaml:8:", {"points: each point is a list of three coordinates", NULL}},
  {"format: havoc-network 1\nnodes:\n  - {x: 0, y: 0, z: 0}\n", "bad.yaml:3:", {"node: missing 'id'", NULL}},
  {"format: havoc-network 1\nnodes:\n  - {id: 4, x: 0, y: 0}\n", "bad.yaml:3:", {"node 4: missing 'z'", NULL}},
  {HEAD "  - {name: a b, from: 1, to: 2, " WALL ", " OUTLET "}\n", "bad.yaml:8:", {"vessel 'a b': a name may only contain", "letters, digits"}},
  {HEAD "  - {from: 1, to: 2, " WALL ", " OUTLET "}\n", "bad.yaml:8:", {"vessel: missing 'name'", NULL}},
  {HEAD "  - {name: a, from: 1, " WALL ", " OUTLET "}\n", "bad.yaml:8:", {"vessel 'a': missing 'to'", NULL}},
  /* duplicates */
  {"format: havoc-network 1\nnodes:\n  - {id: 1, x: 0, y: 0, z: 0}\n  - {id: 1, x: 0, y: 1, z: 0}\ninlets:\n  - {node: 1}\nvessels:\n  - {name: a}\n", "bad.yaml:4:", {"node 1: id already used at line 3", NULL}},
  {HEAD3 "  - {name: a, from: 2, to: 3, " WALL ", " OUTLET "}\n", "bad.yaml:10:", {"vessel 'a': name already used at line 9", NULL}},
  {"format: havoc-network 1\nnodes:\n  - {id: 1, x: 0, y: 0, z: 0}\ninlets:\n  - {node: 1}\nvessels: {name: a}\n", "bad.yaml:6:", {"vessels: expected a list, got a mapping", NULL}},
  {"format: havoc-network 1\nnodes:\n  - {id: 1, x: 0, y: 0, z: 0}\n  - {id: 2, x: 0, y: -10, z: 0}\ninlets:\n  - {node: 1}\n  - {node: 1, name: again}\nvessels:\n" VESSEL, "bad.yaml:7:", {"inlet 'again': node 1 already has inlet 'inlet_1' (line 6)", "at most one inlet"}},
  {"format: havoc-network 1\nnodes:\n  - {id: 1, x: 0, y: 0, z: 0}\n  - {id: 2, x: 0, y: -10, z: 0}\ninlets:\n  - {node: 1, name: in}\n  - {node: 2, name: in}\nvessels:\n  - {name: a, from: 1, to: 2, " WALL "}\n", "bad.yaml:7:", {"inlet 'in': name already used at line 6", NULL}},
  /* dangling references */
  {HEAD "  - {name: a, from: 1, to: 3, " WALL ", " OUTLET "}\n", "bad.yaml:8:", {"vessel 'a': to: no node has id 3", NULL}},
  {"format: havoc-network 1\nnodes:\n  - {id: 1, x: 0, y: 0, z: 0}\ninlets:\n  - {node: 9}\n", "bad.yaml:5:", {"inlet: node: no node has id 9", NULL}},
  /* non-positive values, same node at both ends */
  {HEAD "  - {name: a, from: 1, to: 2, length: 0, " WALL ", " OUTLET "}\n", "bad.yaml:8:", {"vessel 'a': length must be > 0, got '0'", NULL}},
  {HEAD "  - {name: a, from: 1, to: 2, radius: -1 mm, E: 700 kPa, h: 0.1, " OUTLET "}\n", "bad.yaml:8:", {"vessel 'a': radius must be > 0, got '-1 mm'", NULL}},
  {HEAD "  - {name: a, from: 1, to: 2, radius_prox: 1, radius_dist: 0, E: 700 kPa, h: 0.1, " OUTLET "}\n", "bad.yaml:8:", {"radius_dist must be > 0", NULL}},
  {HEAD "  - {name: a, from: 1, to: 2, radius: 1, E: 0 kPa, h: 0.1, " OUTLET "}\n", "bad.yaml:8:", {"vessel 'a': E must be > 0, got '0 kPa'", NULL}},
  {HEAD "  - {name: a, from: 1, to: 2, radius: 1, E: 700 kPa, h: -0.1, " OUTLET "}\n", "bad.yaml:8:", {"vessel 'a': h must be > 0", NULL}},
  {HEAD "  - {name: a, from: 1, to: 2, radius: 1, beta: 0, " OUTLET "}\n", "bad.yaml:8:", {"vessel 'a': beta must be > 0", NULL}},
  {HEAD "  - {name: a, from: 1, to: 2, zeta: -1, " WALL ", " OUTLET "}\n", "bad.yaml:8:", {"vessel 'a': zeta must be >= 0", NULL}},
  {"format: havoc-network 1\nnodes:\n  - {id: 1, x: 0, y: 0, z: 0}\n  - {id: 2, x: 0, y: -10, z: 0}\ninlets:\n  - {node: 1, scale: 0}\n", "bad.yaml:6:", {"inlet 'inlet_1': scale must be > 0", NULL}},
  {HEAD "  - {name: a, from: 2, to: 2, " WALL ", " OUTLET "}\n", "bad.yaml:8:", {"vessel 'a': both ends are node 2", "two different nodes"}},
  {"format: havoc-network 1\nnodes:\n  - {id: 1, x: 0, y: 0, z: 0}\n  - {id: 2, x: 0, y: 0, z: 0}\ninlets:\n  - {node: 1}\nvessels:\n" VESSEL, "bad.yaml:8:", {"vessel 'a': no 'length'", "give 'length'"}},
  /* vessel keys that go together or exclude each other */
  {HEAD "  - {name: a, from: 1, to: 2, radius: 1, radius_prox: 1, radius_dist: 1, E: 1 kPa, h: 1, " OUTLET "}\n", "bad.yaml:8:", {"give 'radius' or 'radius_prox', not both", NULL}},
  {HEAD "  - {name: a, from: 1, to: 2, E: 700 kPa, h: 0.1, " OUTLET "}\n", "bad.yaml:8:", {"vessel 'a': missing 'radius'", "'radius_prox' and 'radius_dist'"}},
  {HEAD "  - {name: a, from: 1, to: 2, radius_prox: 1, E: 700 kPa, h: 0.1, " OUTLET "}\n", "bad.yaml:8:", {"'radius_prox' needs 'radius_dist'", NULL}},
  {HEAD "  - {name: a, from: 1, to: 2, radius: 1, " OUTLET "}\n", "bad.yaml:8:", {"missing the wall stiffness", "'E' and 'h', or 'beta'"}},
  {HEAD "  - {name: a, from: 1, to: 2, radius: 1, E: 700 kPa, " OUTLET "}\n", "bad.yaml:8:", {"'E' needs 'h'", NULL}},
  {HEAD "  - {name: a, from: 1, to: 2, radius: 1, beta: 1e5, E: 1 kPa, " OUTLET "}\n", "bad.yaml:8:", {"give 'beta' or 'E', not both", NULL}},
  {HEAD "  - {name: a, from: 1, to: 2, radius: 1, beta: 1e5, wall_viscosity: 3, " OUTLET "}\n", "bad.yaml:8:", {"wall_viscosity needs the wall thickness", NULL}},
  /* outlets */
  {HEAD "  - {name: a, from: 1, to: 2, " WALL ", outlet: {model: wk4}}\n", "bad.yaml:8:", {"vessel 'a': outlet: unknown model 'wk4'", "(known: wk3, resistance, reflection)"}},
  {HEAD "  - {name: a, from: 1, to: 2, " WALL ", outlet: {R: 1}}\n", "bad.yaml:8:", {"outlet: missing 'model'", "wk3, resistance, reflection"}},
  {HEAD "  - {name: a, from: 1, to: 2, " WALL ", outlet: {model: wk3, R1: 1e8, C: 1e-10}}\n", "bad.yaml:8:", {"outlet: model wk3 needs 'R2'", "Pa s m^-3"}},
  {HEAD "  - {name: a, from: 1, to: 2, " WALL ", outlet: {model: wk3, R1: 1e8, R2: 0, C: 1e-10}}\n", "bad.yaml:8:", {"outlet: R2 must be > 0, got '0'", NULL}},
  {HEAD "  - {name: a, from: 1, to: 2, " WALL ", outlet: {model: reflection, Rt: 2}}\n", "bad.yaml:8:", {"outlet: Rt must be in [-1, 1], got '2'", NULL}},
  {HEAD "  - {name: a, from: 1, to: 2, " WALL ", outlet: resistance}\n", "bad.yaml:8:", {"outlet: expected a mapping", NULL}},
  /* the network as a whole */
  {HEAD "  - {name: a, from: 1, to: 2, " WALL "}\n", "bad.yaml:8:", {"vessel 'a' ends at node 2, which no other vessel joins", "needs an 'outlet'"}},
  {HEAD3 "  - {name: b, from: 2, to: 3, " WALL ", " OUTLET "}\n  - {name: c, from: 2, to: 1, " WALL "}\n", "bad.yaml:7:", {"inlet 'inlet_1': node 1 is the end of 2 vessels", "exactly one vessel"}},
  {"format: havoc-network 1\nnodes:\n  - {id: 1, x: 0, y: 0, z: 0}\n  - {id: 2, x: 0, y: -10, z: 0}\n  - {id: 3, x: 0, y: -20, z: 0}\ninlets:\n  - {node: 2}\nvessels:\n  - {name: a, from: 1, to: 2, " WALL ", " OUTLET "}\n  - {name: b, from: 2, to: 3, " WALL ", " OUTLET "}\n", "bad.yaml:7:", {"node 2 is the end of 2 vessels", NULL}},
  {"format: havoc-network 1\nnodes:\n  - {id: 1, x: 0, y: 0, z: 0}\n  - {id: 2, x: 0, y: -10, z: 0}\n  - {id: 3, x: 0, y: -20, z: 0}\ninlets:\n  - {node: 1}\nvessels:\n  - {name: a, from: 1, to: 2, " WALL ", " OUTLET "}\n  - {name: b, from: 2, to: 3, " WALL ", " OUTLET "}\n", "bad.yaml:9:", {"vessel 'a' has an outlet but no free end", NULL}},
  {"format: havoc-network 1\nnodes:\n  - {id: 1, x: 0, y: 0, z: 0}\n  - {id: 2, x: 0, y: -10, z: 0}\n  - {id: 3, x: 0, y: -20, z: 0}\n  - {id: 4, x: 0, y: -30, z: 0}\ninlets:\n  - {node: 1}\nvessels:\n  - {name: a, from: 1, to: 2, " WALL ", " OUTLET "}\n  - {name: b, from: 3, to: 4, " WALL ", " OUTLET "}\n", "bad.yaml:5:", {"node 3 is not connected to inlet 'inlet_1'", "one piece"}},
  {"format: havoc-network 1\nnodes:\n  - {id: 1, x: 0, y: 0, z: 0}\n  - {id: 2, x: 0, y: -10, z: 0}\n  - {id: 3, x: 0, y: -20, z: 0}\ninlets:\n  - {node: 1}\nvessels:\n" VESSEL, "bad.yaml:5:", {"node 3 is not connected", NULL}},
  {"format: havoc-network 1\nnodes:\n  - {id: 1, x: 0, y: 0, z: 0}\n  - {id: 2, x: 0, y: -10, z: 0}\n  - {id: 3, x: 0, y: -20, z: 0}\ninlets:\n  - {node: 1}\n  - {node: 3}\nvessels:\n  - {name: a, from: 1, to: 2, " WALL "}\n  - {name: b, from: 3, to: 2, " WALL "}\n", "bad.yaml:10:", {"the network has no outlet", NULL}},
  {"format: havoc-network 1\nnodes:\n  - {id: 1, x: 0, y: 0, z: 0}\nvessels:\n  - {name: a}\n", "bad.yaml:1:", {"missing 'inlets'", "at least one inlet"}},
  {"format: havoc-network 1\nnodes:\n  - {id: 1, x: 0, y: 0, z: 0}\ninlets: []\nvessels:\n  - {name: a}\n", "bad.yaml:4:", {"inlets: the list is empty", "at least one inlet"}},
  {"format: havoc-network 1\nnodes:\n  - {id: 1, x: 0, y: 0, z: 0}\ninlets:\n  - {node: 1}\n", "bad.yaml:1:", {"missing 'vessels'", NULL}},
  /* landmarks */
  {"format: havoc-network 1\nlandmarks: {name: a}\n", "bad.yaml:2:", {"landmarks: expected a list, got a mapping", NULL}},
  {"format: havoc-network 1\nlandmarks: []\n", "bad.yaml:2:", {"landmarks: the list is empty", "leave 'landmarks' out"}},
  {"format: havoc-network 1\nlandmarks:\n  - {x: 0, y: 0, z: 0}\n", "bad.yaml:3:", {"landmark: missing 'name'", NULL}},
  {"format: havoc-network 1\nlandmarks:\n  - {name: left eye, x: 0, y: 0, z: 0}\n", "bad.yaml:3:", {"landmark 'left eye': a name may only contain", NULL}},
  {"format: havoc-network 1\nlandmarks:\n  - {name: a, x: 0, y: 0}\n", "bad.yaml:3:", {"landmark 'a': missing 'z'", NULL}},
  {"format: havoc-network 1\nlandmarks:\n  - {name: a, x: 0, y: 0, z: 0, w: 1}\n", "bad.yaml:3:", {"landmark: unknown key 'w'", "name, x, y, z"}},
  {"format: havoc-network 1\nlandmarks:\n  - {name: a, x: 1 s, y: 0, z: 0}\n", "bad.yaml:3:", {"landmark 'a': x: expected a length", NULL}},
  {LM "  - {name: nasion, x: 1, y: 0, z: 0}\n", "bad.yaml:4:", {"landmark 'nasion': name already used at line 3", NULL}},
  /* nodes placed at landmarks */
  {LM "nodes:\n  - {id: 1, at: glabella}\n", "bad.yaml:5:", {"node 1: at: no landmark 'glabella'", NULL}},
  {"format: havoc-network 1\nnodes:\n  - {id: 1, at: nasion}\n", "bad.yaml:3:", {"node 1: at: no landmark 'nasion' (the file has no 'landmarks')", NULL}},
  {LM "nodes:\n  - {id: 1, at: nasion, y: 0}\n", "bad.yaml:5:", {"node 1: give 'at' (with offsets dx, dy, dz) or 'x', 'y', 'z', not both", NULL}},
  {LM "nodes:\n  - {id: 1, x: 0, y: 0, z: 0, dx: 1}\n", "bad.yaml:5:", {"node 1: 'dx' is an offset from a landmark and needs 'at: LANDMARK'", NULL}},
  {LM "nodes:\n  - {id: 1, at: nasion, dy: 1 kPa}\n", "bad.yaml:5:", {"node 1: dy: expected a length", NULL}},
  {LM "nodes:\n  - {id: 1, at: [nasion]}\n", "bad.yaml:5:", {"node 1: at: expected a single value", NULL}},
  /* territories */
  {TERR("tissue: bone, seeds: [nasion]"), "bad.yaml:5:", {"territory 't': tissue: unknown tissue 'bone'", "skin, retina, choroid, brain, other"}},
  {TERR("seeds: [nasion]"), "bad.yaml:5:", {"territory 't': missing 'tissue'", NULL}},
  {TERR("tissue: skin"), "bad.yaml:5:", {"territory 't': missing 'seeds'", NULL}},
  {TERR("tissue: skin, seeds: [glabella]"), "bad.yaml:5:", {"territory 't': seeds: no landmark 'glabella'", NULL}},
  {TERR("tissue: skin, seeds: [[1, 2]]"), "bad.yaml:5:", {"territory 't': seeds: expected a landmark name or a point [x, y, z]", NULL}},
  {TERR("tissue: skin, seeds: [[1, 2, 3 kPa]]"), "bad.yaml:5:", {"territory 't': seeds: expected a length", NULL}},
  {TERR("tissue: skin, seeds: []"), "bad.yaml:5:", {"territory 't': seeds: expected a list of landmark names or points", NULL}},
  {TERR("tissue: skin, seeds: nasion"), "bad.yaml:5:", {"territory 't': seeds: expected a list", NULL}},
  {TERR("tissue: skin, seeds: [nasion], polygon: [[0, 0], [1, 1]]"), "bad.yaml:5:", {"territory 't': polygon: expected a list of at least 3 points [x, y]", NULL}},
  {TERR("tissue: skin, seeds: [nasion], polygon: [[0, 0], [1, 1], [2]]"), "bad.yaml:5:", {"territory 't': polygon: expected each point to be [x, y]", NULL}},
  {TERR("tissue: skin, seeds: [nasion], area: -1"), "bad.yaml:5:", {"territory 't': area must be > 0, got '-1'", NULL}},
  {TERR("tissue: skin, seeds: [nasion], area: 3 mm"), "bad.yaml:5:", {"territory 't': area: expected an area (e.g. 'cm^2'), got 'mm' (a length)", NULL}},
  {TERR("tissue: skin, seeds: [nasion], colour: red"), "bad.yaml:5:", {"territory: unknown key 'colour'", "name, tissue, seeds, polygon, area"}},
  {TERR("tissue: skin, seeds: [nasion]") "  - {name: t, tissue: retina, seeds: [nasion]}\n", "bad.yaml:6:", {"territory 't': name already used at line 5", NULL}},
  {LM "territories: []\n", "bad.yaml:4:", {"territories: the list is empty", NULL}},
  {LM "territories:\n  - {tissue: skin, seeds: [nasion]}\n", "bad.yaml:5:", {"territory: missing 'name'", NULL}},
  /* vessels and territories */
  {FACE_HEAD "  - {name: a, from: 1, to: 2, " WALL ", territory: chin, " OUTLET "}\n", "bad.yaml:13:", {"vessel 'a': territory 'chin' is not one of the file's territories", NULL}},
  {FACE_HEAD "  - {name: a, from: 1, to: 2, " WALL ", " OUTLET "}\n", "bad.yaml:13:", {"vessel 'a': a vessel with an outlet needs a 'territory'", NULL}},
  /* published ranges */
  {HEAD "  - {name: a, from: 1, to: 2, " WALL ", radius_range: [2, 3], " OUTLET "}\n", "bad.yaml:8:", {"vessel 'a': its radius at x = 0, 1 mm, is outside its radius_range [2, 3] mm", NULL}},
  {HEAD "  - {name: a, from: 1, to: 2, " WALL ", radius_range: [3, 2], " OUTLET "}\n", "bad.yaml:8:", {"vessel 'a': radius_range: expected 0 < lo <= hi, got [3, 2] mm", NULL}},
  {HEAD "  - {name: a, from: 1, to: 2, " WALL ", radius_range: [0, 2], " OUTLET "}\n", "bad.yaml:8:", {"expected 0 < lo <= hi, got [0, 2] mm", NULL}},
  {HEAD "  - {name: a, from: 1, to: 2, " WALL ", radius_range: 1, " OUTLET "}\n", "bad.yaml:8:", {"vessel 'a': radius_range: expected a list [lo, hi] of two lengths", NULL}},
  {HEAD "  - {name: a, from: 1, to: 2, " WALL ", radius_range: [1 kPa, 2], " OUTLET "}\n", "bad.yaml:8:", {"vessel 'a': radius_range: expected a length", NULL}},
  {HEAD "  - {name: a, from: 1, to: 2, " WALL ", length_range: [2 cm, 3 cm], " OUTLET "}\n", "bad.yaml:8:", {"vessel 'a': its length, 10 mm, is outside its length_range [20, 30] mm", NULL}},
  {"format: havoc-network 1\ndefaults: {radius_range: [1, 2]}\n", "bad.yaml:2:", {"defaults: unknown key 'radius_range'", NULL}},
};

START_TEST(rejects)
{
  HavocMesh      mesh;
  PetscErrorCode ierr = ReadCapturing(bad[_i].text, &mesh);

  ck_assert_msg(ierr == PETSC_ERR_USER_INPUT, "case %d: error %d (%s)", _i, (int)ierr, captured);
  ck_assert_msg(!mesh, "case %d: a mesh was returned", _i);
  ck_assert_msg(!strncmp(captured, bad[_i].where, strlen(bad[_i].where)), "case %d: '%s' does not start with '%s'", _i, captured, bad[_i].where);
  for (int k = 0; k < 2; k++)
    ck_assert_msg(!bad[_i].words[k] || strstr(captured, bad[_i].words[k]), "case %d: '%s' does not contain '%s'", _i, captured, bad[_i].words[k]);
}
END_TEST

/* A hub with nine vessels: the inlet on one spoke, outlets on the eight others. */
START_TEST(degree_limit)
{
  char      text[4096];
  size_t    n = 0;
  HavocMesh mesh;

  n += (size_t)snprintf(text + n, sizeof(text) - n, "format: havoc-network 1\nnodes:\n  - {id: 0, x: 0, y: 0, z: 0}\n");
  for (int i = 1; i <= 9; i++)
    n += (size_t)snprintf(text + n, sizeof(text) - n, "  - {id: %d, x: %d, y: 10, z: 0}\n", i, i);
  n += (size_t)snprintf(text + n, sizeof(text) - n, "inlets:\n  - {node: 1}\nvessels:\n");
  for (int i = 1; i <= 9; i++)
    n += (size_t)snprintf(text + n, sizeof(text) - n, "  - {name: s%d, from: 0, to: %d, " WALL "%s}\n", i, i, i > 1 ? ", " OUTLET : "");
  ck_assert_int_eq(ReadCapturing(text, &mesh), PETSC_ERR_USER_INPUT);
  ck_assert_msg(strstr(captured, "bad.yaml:3: node 0: 9 vessels meet here, at most 8 may"), "%s", captured);
}
END_TEST

START_TEST(missing_file)
{
  HavocMesh      mesh = NULL;
  PetscErrorCode ierr;

  captured[0] = 0;
  ck_assert(!PetscPushErrorHandler(Capture, NULL));
  ierr = HavocMeshRead(PETSC_COMM_WORLD, "/nonexistent/net.yaml", &mesh);
  ck_assert(!PetscPopErrorHandler());
  ck_assert_int_eq(ierr, PETSC_ERR_FILE_OPEN);
  ck_assert_str_eq(captured, "cannot open network file '/nonexistent/net.yaml': No such file or directory");
}
END_TEST

/* Node 20 joins five vessels; left, bridge and right form a loop; left and side point towards node 20,
   and side's outlet is at its x = 0 end. */
static const char loop_network[] = "format: havoc-network 1\n"                                                                                             /* 1 */
                                   "name: loop5\n"                                                                                                         /* 2 */
                                   "description: \"a loop, \\\"quotes\\\", a \\\\ and\\na second line\"\n"                                                 /* 3 */
                                   "defaults:\n"                                                                                                           /* 4 */
                                   "  E: 400 kPa\n"                                                                                                        /* 5 */
                                   "  h: 0.2 mm\n"                                                                                                         /* 6 */
                                   "nodes:\n"                                                                                                              /* 7 */
                                   "  - {id: 10, x: 0, y: 0, z: 0}\n"                                                                                      /* 8 */
                                   "  - {id: 20, x: 0, y: -20, z: 0}\n"                                                                                    /* 9 */
                                   "  - {id: 30, x: -10, y: -30, z: 0}\n"                                                                                  /* 10 */
                                   "  - {id: 40, x: 10, y: -30, z: 0}\n"                                                                                   /* 11 */
                                   "  - {id: 50, x: 0, y: -40, z: 0}\n"                                                                                    /* 12 */
                                   "  - {id: 60, x: 20, y: -20, z: 0}\n"                                                                                   /* 13 */
                                   "  - {id: 70, x: 1 cm, y: -0.05 m, z: 0}\n"                                                                             /* 14 */
                                   "inlets:\n"                                                                                                             /* 15 */
                                   "  - {node: 10, name: root, scale: 0.5}\n"                                                                              /* 16 */
                                   "vessels:\n"                                                                                                            /* 17 */
                                   "  - {name: trunk, from: 10, to: 20, radius: 2, zeta: 2}\n"                                                             /* 18 */
                                   "  - {name: left, from: 30, to: 20, radius_prox: 1, radius_dist: 1.2, wall_viscosity: 3 Pa s}\n"                        /* 19 */
                                   "  - {name: right, from: 20, to: 40, radius: 1, points: [[5, -22, 0], [8, -27, 1]]}\n"                                  /* 20 */
                                   "  - name: down\n"                                                                                                      /* 21 */
                                   "    from: 20\n"                                                                                                        /* 22 */
                                   "    to: 50\n"                                                                                                          /* 23 */
                                   "    radius: 1\n"                                                                                                       /* 24 */
                                   "    beta: 1e5 Pa m\n"                                                                                                  /* 25 */
                                   "    outlet: {model: reflection, Rt: 0.5}\n"                                                                            /* 26 */
                                   "  - {name: side, from: 60, to: 20, radius: 0.8, outlet: {model: resistance, R: 2e9, p_out: 10 mmHg}}\n"                /* 27 */
                                   "  - {name: bridge, from: 30, to: 40, radius: 0.5, length: 25 mm}\n"                                                    /* 28 */
                                   "  - {name: tail, from: 40, to: 70, radius: 0.7, external_pressure: 1 kPa, territory: nasal tip, outlet: {model: wk3, " /* 29 */
                                   "R1: 1e8, R2: 1e9, C: 1e-10}}\n";

static PetscInt VesselIndex(HavocMesh mesh, const char *name)
{
  PetscInt e;

  ck_assert(!HavocMeshFindVessel(mesh, name, &e));
  ck_assert_msg(e >= 0, "no vessel %s", name);
  return e;
}

START_TEST(valid_network)
{
  HavocMesh              mesh = ReadOk("meshes/loop5.yaml", loop_network);
  const HavocMeshVessel *trunk, *left, *right, *down, *side, *tail;
  PetscInt               e;
  const HavocOutletType *type;

  ck_assert_str_eq(mesh->name, "loop5");
  ck_assert_str_eq(mesh->description, "a loop, \"quotes\", a \\ and\na second line");
  ck_assert_int_eq(mesh->nnodes, 7);
  ck_assert_int_eq(mesh->nvessels, 7);
  ck_assert_int_eq(mesh->ninlets, 1);
  ck_assert_int_eq(mesh->noutlets, 3);
  ck_assert_int_eq(mesh->nloops, 1);
  ck_assert_int_eq(mesh->npoints, 2);
  {
    const PetscInt degree[7] = {1, 5, 2, 3, 1, 1, 1};
    for (PetscInt n = 0; n < 7; n++)
      ck_assert_int_eq(mesh->nodes[n].degree, degree[n]);
  }
  ck_assert_int_eq(mesh->nodes[1].id, 20);
  ck_assert_int_eq(mesh->nodes[1].line, 9);
  ExpectClose(mesh->nodes[6].x[0], 0.01, "x of node 70");
  ExpectClose(mesh->nodes[6].x[1], -0.05, "y of node 70");
  ExpectClose(mesh->nodes[2].x[0], -0.01, "x of node 30");

  ck_assert_str_eq(mesh->inlets[0].name, "root");
  ck_assert_int_eq(mesh->inlets[0].node, 0);
  ck_assert_int_eq(mesh->inlets[0].line, 16);
  ck_assert(mesh->inlets[0].scale == 0.5);
  ck_assert_int_eq(mesh->nodes[0].inlet, 0);
  for (PetscInt n = 1; n < 7; n++)
    ck_assert_int_eq(mesh->nodes[n].inlet, -1);

  trunk = &mesh->vessels[VesselIndex(mesh, "trunk")];
  left  = &mesh->vessels[VesselIndex(mesh, "left")];
  right = &mesh->vessels[VesselIndex(mesh, "right")];
  down  = &mesh->vessels[VesselIndex(mesh, "down")];
  side  = &mesh->vessels[VesselIndex(mesh, "side")];
  tail  = &mesh->vessels[VesselIndex(mesh, "tail")];
  ck_assert(!HavocMeshFindVessel(mesh, "nope", &e));
  ck_assert_int_eq(e, -1);

  ck_assert_int_eq(trunk->line, 18);
  ck_assert_int_eq(down->line, 21);
  ck_assert_int_eq(trunk->from, 0);
  ck_assert_int_eq(trunk->to, 1);
  ck_assert_int_eq(left->from, 2);
  ck_assert_int_eq(left->to, 1);
  ExpectClose(trunk->length, 0.02, "trunk length from the node coordinates");
  ExpectClose(right->length, 1e-3 * (PetscSqrtReal(25 + 4) + PetscSqrtReal(9 + 25 + 1) + PetscSqrtReal(4 + 9 + 1)), "right length along its points");
  ExpectClose(mesh->vessels[VesselIndex(mesh, "bridge")].length, 0.025, "bridge length as given");
  ExpectClose(mesh->points[3 * right->points_offset + 2], 0, "first point z");
  ExpectClose(mesh->points[3 * right->points_offset + 5], 1e-3, "second point z");

  ExpectClose(trunk->r_prox, 2e-3, "trunk radius");
  ck_assert(trunk->r_prox == trunk->r_dist);
  ExpectClose(left->r_prox, 1e-3, "left r_prox");
  ExpectClose(left->r_dist, 1.2e-3, "left r_dist");
  ExpectClose(trunk->E, 400e3, "E from the defaults");
  ExpectClose(trunk->h, 2e-4, "h from the defaults");
  ExpectClose(trunk->beta, 4.0 / 3.0 * PetscSqrtReal(PETSC_PI) * 400e3 * 2e-4, "beta from E and h");
  ck_assert(down->E == 0 && down->h == 0);
  ExpectClose(down->beta, 1e5, "beta as given, the E and h defaults left out");
  ExpectClose(left->gamma_visc, 2.0 / 3.0 * PetscSqrtReal(PETSC_PI) * 3 * 2e-4, "Gamma from wall_viscosity and h");
  ck_assert(trunk->gamma_visc == 0);
  ck_assert(trunk->zeta == 2 && right->zeta == 9);
  ck_assert(trunk->p_ref == 0 && tail->p_ext == 1e3);
  ck_assert_str_eq(tail->territory, "nasal tip");
  ck_assert_str_eq(trunk->territory, "");

  ck_assert_int_eq(trunk->outlet_type, -1);
  ck_assert_int_eq(trunk->outlet_node, -1);
  ck_assert_int_eq(down->outlet_node, 4);
  ck_assert_int_eq(side->outlet_node, 5); /* its x = 0 end */
  ck_assert_int_eq(tail->outlet_node, 6);
  ck_assert_int_eq(mesh->nodes[5].outlet, side - mesh->vessels);
  ck_assert_int_eq(mesh->nodes[1].outlet, -1);
  ck_assert(!HavocOutletGet(side->outlet_type, &type));
  ck_assert_str_eq(type->name, "resistance");
  ExpectClose(side->outlet_param[0], 2e9, "R");
  ExpectClose(side->outlet_param[1], 10 * 133.322387415, "p_out in mmHg");
  ck_assert(!HavocOutletGet(tail->outlet_type, &type));
  ck_assert_str_eq(type->name, "wk3");
  ck_assert(tail->outlet_param[3] == 0); /* p_out defaults to 0 */
  ck_assert(!HavocOutletGet(down->outlet_type, &type));
  ck_assert_str_eq(type->name, "reflection");
  ck_assert(down->outlet_param[0] == 0.5);

  ck_assert_int_eq(HavocMeshVesselCells(trunk, 1e-3, 3), 20);
  ck_assert_int_eq(HavocMeshVesselCells(trunk, 0.3e-3, 3), 67);
  ck_assert_int_eq(HavocMeshVesselCells(trunk, 0.1e-3, 3), 200);
  ck_assert_int_eq(HavocMeshVesselCells(trunk, 10e-3, 3), 3);
  Destroy(&mesh);
}
END_TEST

/* The common carotid of Boileau et al. 2015 (benchmark 2), as in docs/formats.md: its radius is given at
   the diastolic pressure, so p_ref is that pressure. */
START_TEST(diastolic_reference)
{
  static const char      text[] = "format: havoc-network 1\n"
                                  "name: boileau-cca\n"
                                  "description: Boileau et al. 2015, benchmark 2 (common carotid artery)\n"
                                  "defaults:\n"
                                  "  E: 700 kPa\n"
                                  "  zeta: 2\n"
                                  "nodes:\n"
                                  "  - {id: 1, x: 0, y: 0, z: 0}\n"
                                  "  - {id: 2, x: 0, y: -126, z: 0}\n"
                                  "inlets:\n"
                                  "  - {node: 1}\n"
                                  "vessels:\n"
                                  "  - name: common_carotid\n"
                                  "    from: 1\n"
                                  "    to: 2\n"
                                  "    length: 126 mm\n"
                                  "    radius: 3.0 mm\n"
                                  "    reference_pressure: 10.9 kPa\n"
                                  "    h: 0.3 mm\n"
                                  "    outlet: {model: wk3, R1: 2.4875e8, R2: 1.8697e9, C: 1.7529e-10}\n";
  HavocMesh              mesh   = ReadOk("meshes/benchmarks/cca.yaml", text);
  const HavocMeshVessel *v      = &mesh->vessels[0];

  ck_assert_str_eq(mesh->name, "boileau-cca");
  ck_assert_str_eq(mesh->inlets[0].name, "inlet_1");
  ck_assert(mesh->inlets[0].scale == 1);
  ExpectClose(v->length, 0.126, "length");
  ExpectClose(v->r_prox, 3e-3, "radius");
  ExpectClose(v->p_ref, 10.9e3, "reference pressure");
  ck_assert(v->p_ext == 0);
  ExpectClose(v->E, 700e3, "E");
  ExpectClose(v->h, 0.3e-3, "h");
  ExpectClose(v->beta, 4.0 / 3.0 * PetscSqrtReal(PETSC_PI) * 700e3 * 0.3e-3, "beta");
  ck_assert(v->zeta == 2);
  ExpectClose(v->outlet_param[0], 2.4875e8, "R1");
  ExpectClose(v->outlet_param[1], 1.8697e9, "R2");
  ExpectClose(v->outlet_param[2], 1.7529e-10, "C");
  ck_assert_int_eq(v->outlet_node, 1);
  ck_assert_int_eq(HavocMeshVesselCells(v, 1e-3, 3), 126);
  ck_assert_int_eq(HavocMeshVesselCells(v, 0.5e-3, 3), 252);
  Destroy(&mesh);
}
END_TEST

/* A vessel that sets a key does not take the keys it excludes from the defaults. */
START_TEST(defaults)
{
  static const char      text[] = "format: havoc-network 1\n"
                                  "defaults: {radius: 2, E: 700 kPa, h: 0.3, wall_viscosity: 2, territory: face}\n"
                                  "nodes:\n"
                                  "  - {id: 1, x: 0, y: 0, z: 0}\n"
                                  "  - {id: 2, x: 0, y: -10, z: 0}\n"
                                  "  - {id: 3, x: 0, y: -20, z: 0}\n"
                                  "inlets:\n"
                                  "  - {node: 1}\n"
                                  "vessels:\n"
                                  "  - {name: a, from: 1, to: 2, radius_prox: 3, radius_dist: 2.5, h: 0.5}\n"
                                  "  - {name: b, from: 2, to: 3, beta: 2e5, wall_viscosity: 0, " OUTLET "}\n";
  HavocMesh              mesh   = ReadOk("defaults.yaml", text);
  const HavocMeshVessel *a = &mesh->vessels[0], *b = &mesh->vessels[1];

  ExpectClose(a->r_prox, 3e-3, "own radius_prox, not the default radius");
  ExpectClose(a->r_dist, 2.5e-3, "own radius_dist");
  ExpectClose(a->E, 700e3, "default E");
  ExpectClose(a->h, 0.5e-3, "own h with the default E");
  ExpectClose(a->gamma_visc, 2.0 / 3.0 * PetscSqrtReal(PETSC_PI) * 2 * 0.5e-3, "Gamma from the default wall_viscosity");
  ExpectClose(b->r_prox, 2e-3, "default radius");
  ck_assert(b->r_dist == b->r_prox);
  ck_assert(b->E == 0 && b->h == 0);
  ExpectClose(b->beta, 2e5, "own beta, not the default E and h");
  ck_assert(b->gamma_visc == 0);
  ck_assert_str_eq(a->territory, "face");
  ck_assert_str_eq(b->territory, "face");
  Destroy(&mesh);
}
END_TEST

static void ExpectRoundTrip(HavocMesh mesh);

/* Landmarks, nodes placed at them, territories of every kind of seed, and published ranges. */
static const char face_network[] = "format: havoc-network 1\n"                                                                                   /* 1 */
                                   "landmarks:\n"                                                                                                /* 2 */
                                   "  - {name: nasion, x: 0, y: 0, z: 0}\n"                                                                      /* 3 */
                                   "  - {name: pronasale, x: 0, y: -42 mm, z: 2.8 cm}\n"                                                         /* 4 */
                                   "  - {name: cheilion_l, x: 26, y: -73, z: -6}\n"                                                              /* 5 */
                                   "territories:\n"                                                                                              /* 6 */
                                   "  - name: nasal_tip\n"                                                                                       /* 7 */
                                   "    tissue: skin\n"                                                                                          /* 8 */
                                   "    seeds: [pronasale, [1, -40, 20]]\n"                                                                      /* 9 */
                                   "    polygon: [[-10, -30], [10, -30], [0, -50 mm]]\n"                                                         /* 10 */
                                   "    area: 3.5\n"                                                                                             /* 11 */
                                   "  - {name: retina_l, tissue: retina, seeds: [[30, -8, -40]], area: 1e-3 m^2}\n"                              /* 12 */
                                   "  - {name: lip, tissue: skin, seeds: [cheilion_l]}\n"                                                        /* 13 */
                                   "nodes:\n"                                                                                                    /* 14 */
                                   "  - {id: 1, at: nasion}\n"                                                                                   /* 15 */
                                   "  - {id: 2, at: pronasale, dx: 1, dz: -2 mm}\n"                                                              /* 16 */
                                   "  - {id: 3, x: 5, y: -10, z: 0}\n"                                                                           /* 17 */
                                   "  - {id: 4, at: cheilion_l, dy: 0.5}\n"                                                                      /* 18 */
                                   "inlets:\n"                                                                                                   /* 19 */
                                   "  - {node: 1}\n"                                                                                             /* 20 */
                                   "vessels:\n"                                                                                                  /* 21 */
                                   "  - {name: trunk, from: 1, to: 3, " WALL ", radius_range: [0.5, 1.5 mm], length_range: [10, 20]}\n"          /* 22 */
                                   "  - {name: tip, from: 3, to: 2, " WALL ", territory: nasal_tip, " OUTLET "}\n"                               /* 23 */
                                   "  - {name: lip, from: 3, to: 4, radius: 0.5, E: 1 MPa, h: 0.1, territory: lip, length_range: [1 cm, 8 cm], " /* 24 */
  OUTLET "}\n";

START_TEST(face_sections)
{
  HavocMesh                 mesh = ReadOk("face.yaml", face_network);
  const HavocMeshTerritory *tip, *retina, *lip;
  const HavocMeshVessel    *trunk, *v_tip, *v_lip;
  PetscInt                  k;

  ck_assert_int_eq(mesh->nlandmarks, 3);
  ck_assert_int_eq(mesh->nterritories, 3);
  ck_assert_int_eq(mesh->nseeds, 4);
  ck_assert_int_eq(mesh->npolygon, 3);
  ck_assert_str_eq(mesh->landmarks[1].name, "pronasale");
  ck_assert_int_eq(mesh->landmarks[1].line, 4);
  ExpectClose(mesh->landmarks[1].x[1], -0.042, "pronasale y");
  ExpectClose(mesh->landmarks[1].x[2], 0.028, "pronasale z in cm");
  ck_assert(!HavocMeshFindLandmark(mesh, "cheilion_l", &k));
  ck_assert_int_eq(k, 2);
  ck_assert(!HavocMeshFindLandmark(mesh, "menton", &k));
  ck_assert_int_eq(k, -1);

  ck_assert_int_eq(mesh->nodes[0].landmark, 0);
  ck_assert(mesh->nodes[0].x[0] == 0 && mesh->nodes[0].x[1] == 0 && mesh->nodes[0].x[2] == 0);
  ck_assert_int_eq(mesh->nodes[1].landmark, 1);
  ExpectClose(mesh->nodes[1].x[0], 0.001, "x at pronasale + dx");
  ExpectClose(mesh->nodes[1].x[1], -0.042, "y at pronasale");
  ExpectClose(mesh->nodes[1].x[2], 0.026, "z at pronasale + dz");
  ExpectClose(mesh->nodes[1].offset[2], -0.002, "dz kept");
  ck_assert_int_eq(mesh->nodes[2].landmark, -1);
  ExpectClose(mesh->nodes[3].x[1], -0.0725, "y at cheilion_l + dy");

  ck_assert(!HavocMeshFindTerritory(mesh, "nasal_tip", &k));
  ck_assert_int_eq(k, 0);
  tip    = &mesh->territories[0];
  retina = &mesh->territories[1];
  lip    = &mesh->territories[2];
  ck_assert_int_eq(tip->tissue, HAVOC_TISSUE_SKIN);
  ck_assert_int_eq(retina->tissue, HAVOC_TISSUE_RETINA);
  ck_assert_str_eq(HavocTissueNames[retina->tissue], "retina");
  ck_assert_int_eq(tip->line, 7);
  ck_assert_int_eq(tip->nseeds, 2);
  ck_assert_int_eq(mesh->seed_landmark[tip->seeds_offset], 1);
  ExpectClose(mesh->seeds[3 * tip->seeds_offset + 2], 0.028, "seed at pronasale");
  ck_assert_int_eq(mesh->seed_landmark[tip->seeds_offset + 1], -1);
  ExpectClose(mesh->seeds[3 * (tip->seeds_offset + 1) + 1], -0.040, "seed as a point");
  ck_assert_int_eq(tip->npolygon, 3);
  ExpectClose(mesh->polygon[2 * tip->polygon_offset + 5], -0.050, "last polygon vertex y");
  ExpectClose(tip->area, 3.5e-4, "area in cm^2 by default");
  ExpectClose(retina->area, 1e-3, "area in m^2");
  ck_assert_int_eq(retina->npolygon, 0);
  ck_assert_int_eq(lip->nseeds, 1);
  ck_assert(lip->area == 0);

  trunk = &mesh->vessels[0];
  v_tip = &mesh->vessels[1];
  v_lip = &mesh->vessels[2];
  ck_assert_int_eq(trunk->territory_index, -1);
  ck_assert_int_eq(v_tip->territory_index, 0);
  ck_assert_int_eq(v_lip->territory_index, 2);
  ExpectClose(trunk->r_range[0], 0.5e-3, "radius range lo");
  ExpectClose(trunk->r_range[1], 1.5e-3, "radius range hi");
  ExpectClose(trunk->L_range[0], 10e-3, "length range lo");
  ck_assert(v_tip->r_range[0] == 0 && v_tip->r_range[1] == 0 && v_tip->L_range[1] == 0);
  ExpectClose(v_lip->L_range[1], 0.08, "length range in cm");
  ExpectRoundTrip(mesh);
  Destroy(&mesh);
}
END_TEST

/* Without a territories section the territory of a vessel is a free label, as before. */
START_TEST(territory_labels)
{
  HavocMesh mesh = ReadOk("x.yaml", HEAD "  - {name: a, from: 1, to: 2, " WALL ", territory: anything at all, " OUTLET "}\n");

  ck_assert_str_eq(mesh->vessels[0].territory, "anything at all");
  ck_assert_int_eq(mesh->vessels[0].territory_index, -1);
  ck_assert_int_eq(mesh->nterritories, 0);
  Destroy(&mesh);
}
END_TEST

START_TEST(default_name)
{
  HavocMesh mesh = ReadOk("meshes/face/net.v2.yaml", HEAD VESSEL);

  ck_assert_str_eq(mesh->name, "net.v2");
  ck_assert_str_eq(mesh->path, "meshes/face/net.v2.yaml");
  Destroy(&mesh);
}
END_TEST

static void ExpectSameMesh(HavocMesh a, HavocMesh b)
{
  ck_assert_str_eq(a->name, b->name);
  ck_assert_str_eq(a->description, b->description);
  ck_assert_int_eq(a->nnodes, b->nnodes);
  ck_assert_int_eq(a->nvessels, b->nvessels);
  ck_assert_int_eq(a->ninlets, b->ninlets);
  ck_assert_int_eq(a->npoints, b->npoints);
  ck_assert_int_eq(a->noutlets, b->noutlets);
  ck_assert_int_eq(a->nloops, b->nloops);
  for (PetscInt n = 0; n < a->nnodes; n++) {
    const HavocMeshNode *p = &a->nodes[n], *q = &b->nodes[n];
    ck_assert_int_eq(p->id, q->id);
    for (int k = 0; k < 3; k++)
      ck_assert_msg(p->x[k] == q->x[k], "node %d x[%d]: %.17g != %.17g", (int)p->id, k, p->x[k], q->x[k]);
    ck_assert_int_eq(p->degree, q->degree);
    ck_assert_int_eq(p->landmark, q->landmark);
    for (int k = 0; k < 3; k++)
      ck_assert(p->offset[k] == q->offset[k]);
    ck_assert_int_eq(p->inlet, q->inlet);
    ck_assert_int_eq(p->outlet, q->outlet);
  }
  for (PetscInt i = 0; i < a->ninlets; i++) {
    ck_assert_str_eq(a->inlets[i].name, b->inlets[i].name);
    ck_assert_int_eq(a->inlets[i].node, b->inlets[i].node);
    ck_assert(a->inlets[i].scale == b->inlets[i].scale);
  }
  for (PetscInt i = 0; i < 3 * a->npoints; i++)
    ck_assert(a->points[i] == b->points[i]);
  ck_assert_int_eq(a->nlandmarks, b->nlandmarks);
  ck_assert_int_eq(a->nterritories, b->nterritories);
  ck_assert_int_eq(a->nseeds, b->nseeds);
  ck_assert_int_eq(a->npolygon, b->npolygon);
  for (PetscInt k = 0; k < a->nlandmarks; k++) {
    ck_assert_str_eq(a->landmarks[k].name, b->landmarks[k].name);
    for (int d = 0; d < 3; d++)
      ck_assert(a->landmarks[k].x[d] == b->landmarks[k].x[d]);
  }
  for (PetscInt k = 0; k < a->nterritories; k++) {
    const HavocMeshTerritory *p = &a->territories[k], *q = &b->territories[k];
    ck_assert_str_eq(p->name, q->name);
    ck_assert_int_eq(p->tissue, q->tissue);
    ck_assert_int_eq(p->nseeds, q->nseeds);
    ck_assert_int_eq(p->seeds_offset, q->seeds_offset);
    ck_assert_int_eq(p->npolygon, q->npolygon);
    ck_assert_int_eq(p->polygon_offset, q->polygon_offset);
    ck_assert(p->area == q->area);
  }
  for (PetscInt i = 0; i < a->nseeds; i++) {
    ck_assert_int_eq(a->seed_landmark[i], b->seed_landmark[i]);
    for (int d = 0; d < 3; d++)
      ck_assert(a->seeds[3 * i + d] == b->seeds[3 * i + d]);
  }
  for (PetscInt i = 0; i < 2 * a->npolygon; i++)
    ck_assert(a->polygon[i] == b->polygon[i]);
  for (PetscInt e = 0; e < a->nvessels; e++) {
    const HavocMeshVessel *p = &a->vessels[e], *q = &b->vessels[e];
    ck_assert_str_eq(p->name, q->name);
    ck_assert_str_eq(p->territory, q->territory);
    ck_assert_int_eq(p->from, q->from);
    ck_assert_int_eq(p->to, q->to);
    ck_assert_int_eq(p->npoints, q->npoints);
    ck_assert_int_eq(p->points_offset, q->points_offset);
    ck_assert_int_eq(p->outlet_type, q->outlet_type);
    ck_assert_int_eq(p->outlet_node, q->outlet_node);
    ck_assert_msg(p->length == q->length, "%s: length %.17g != %.17g", p->name, p->length, q->length);
    ck_assert(p->r_prox == q->r_prox && p->r_dist == q->r_dist);
    ck_assert(p->E == q->E && p->h == q->h && p->beta == q->beta);
    ck_assert(p->p_ref == q->p_ref && p->p_ext == q->p_ext);
    ck_assert(p->phi == q->phi && p->gamma_visc == q->gamma_visc);
    ck_assert(p->zeta == q->zeta);
    ck_assert_int_eq(p->territory_index, q->territory_index);
    for (int k = 0; k < 2; k++)
      ck_assert(p->r_range[k] == q->r_range[k] && p->L_range[k] == q->L_range[k]);
    for (int k = 0; k < HAVOC_OUTLET_MAXPARAM; k++)
      ck_assert(p->outlet_param[k] == q->outlet_param[k]);
  }
}

static void ExpectRoundTrip(HavocMesh mesh)
{
  char     *text, *again;
  HavocMesh copy;

  ck_assert(!HavocMeshWriteString(mesh, &text));
  copy = ReadOk("written", text);
  ExpectSameMesh(mesh, copy);
  ck_assert(!HavocMeshWriteString(copy, &again));
  ck_assert_str_eq(text, again);
  ck_assert(!PetscFree(text));
  ck_assert(!PetscFree(again));
  Destroy(&copy);
}

START_TEST(round_trip)
{
  HavocMesh mesh = ReadOk("loop5.yaml", loop_network), copy;
  char      path[128];

  ExpectRoundTrip(mesh);
  snprintf(path, sizeof(path), "%s/loop5.yaml", tmpdir);
  ck_assert(!HavocMeshWrite(mesh, path));
  ck_assert(!HavocMeshRead(PETSC_COMM_WORLD, path, &copy));
  ExpectSameMesh(mesh, copy);
  ck_assert(!unlink(path));
  Destroy(&copy);
  Destroy(&mesh);
}
END_TEST

/* Values whose decimal in mm does not give the double back must still come back exactly. */
START_TEST(round_trip_awkward_values)
{
  HavocMesh mesh = ReadOk("x.yaml", HEAD VESSEL);

  mesh->nodes[1].x[0]              = 0.1 + 0.2;
  mesh->nodes[1].x[1]              = -1.0 / 3.0;
  mesh->nodes[1].x[2]              = 1e-300;
  mesh->vessels[0].length          = PETSC_PI / 100;
  mesh->vessels[0].r_prox          = 1.0 / 7000;
  mesh->vessels[0].r_dist          = 1.0 / 7001;
  mesh->vessels[0].h               = 1.0 / 9999;
  mesh->vessels[0].beta            = HavocTubeBeta(mesh->vessels[0].E, mesh->vessels[0].h);
  mesh->vessels[0].p_ref           = -1.0 / 3.0;
  mesh->vessels[0].outlet_param[0] = 1e9 / 7;
  mesh->vessels[0].r_range[0]      = 1.0 / 7001;
  mesh->vessels[0].r_range[1]      = 1.0 / 6999;
  mesh->vessels[0].L_range[0]      = PETSC_PI / 300;
  mesh->vessels[0].L_range[1]      = PETSC_PI / 30;
  for (int i = 0; i < 200; i++) {
    mesh->nodes[0].x[0] = (i + 1) * 1.000000000000001e-3 / 7;
    ExpectRoundTrip(mesh);
  }
  Destroy(&mesh);
}
END_TEST

START_TEST(view)
{
  HavocMesh   mesh = ReadOk("loop5.yaml", loop_network);
  PetscViewer viewer;
  char        path[128], text[4096];
  FILE       *f;
  size_t      n;

  snprintf(path, sizeof(path), "%s/info.txt", tmpdir);
  ck_assert(!PetscViewerASCIIOpen(PETSC_COMM_WORLD, path, &viewer));
  ck_assert(!HavocMeshView(mesh, 1e-3, 3, viewer));
  ck_assert(!PetscViewerDestroy(&viewer));
  f = fopen(path, "r");
  ck_assert(f);
  n       = fread(text, 1, sizeof(text) - 1, f);
  text[n] = 0;
  fclose(f);
  ck_assert(!unlink(path));
  ck_assert_msg(strstr(text, "network 'loop5' (loop5.yaml)"), "%s", text);
  ck_assert_msg(strstr(text, "vessels:         7\n"), "%s", text);
  ck_assert_msg(strstr(text, "nodes:           7\n"), "%s", text);
  ck_assert_msg(strstr(text, "inlets:          1\n"), "%s", text);
  ck_assert_msg(strstr(text, "outlets:         3\n"), "%s", text);
  ck_assert_msg(strstr(text, "junctions:       3 (1 of degree 2, 1 of degree 3, 1 of degree 5)\n"), "%s", text);
  ck_assert_msg(strstr(text, "loops:           1\n"), "%s", text);
  ck_assert_msg(strstr(text, "radius:          0.5 mm to 2 mm\n"), "%s", text);
  ck_assert_msg(strstr(text, "shortest vessel: 'left', 14.1421 mm\n"), "%s", text);
  ck_assert_msg(strstr(text, "cells:           136 at dx = 1 mm, at least 3 per vessel\n"), "%s", text);
  Destroy(&mesh);
}
END_TEST

static HavocMesh Generate(PetscInt nvessels, PetscInt nloops, unsigned long seed)
{
  HavocTreeSpec spec;
  HavocMesh     mesh = NULL;

  ck_assert(!HavocTreeSpecDefault(&spec));
  spec.nvessels = nvessels;
  spec.nloops   = nloops;
  spec.seed     = seed;
  ck_assert(!PetscPushErrorHandler(Capture, NULL));
  captured[0] = 0;
  if (HavocMeshGenerateTree(PETSC_COMM_WORLD, &spec, &mesh)) mesh = NULL;
  ck_assert(!PetscPopErrorHandler());
  ck_assert_msg(mesh, "tree of %d vessels and %d loops: %s", (int)nvessels, (int)nloops, captured);
  return mesh;
}

static char *GenerateText(PetscInt nvessels, PetscInt nloops, unsigned long seed)
{
  HavocMesh mesh = Generate(nvessels, nloops, seed);
  char     *text;

  ck_assert(!HavocMeshWriteString(mesh, &text));
  Destroy(&mesh);
  return text;
}

START_TEST(generator_determinism)
{
  char *a = GenerateText(50, 2, 1), *b = GenerateText(50, 2, 1), *c = GenerateText(50, 2, 2);

  ck_assert(!strcmp(a, b));
  ck_assert(strcmp(a, c));
  ck_assert(!PetscFree(a));
  ck_assert(!PetscFree(b));
  ck_assert(!PetscFree(c));
}
END_TEST

static const struct {
  PetscInt nvessels, nloops;
} trees[] = {
  {1, 0},
  {5, 0},
  {6, 1},
  {50, 4},
  {500, 25},
  {5000, 100},
};

START_TEST(generated_trees)
{
  const PetscInt         nv = trees[_i].nvessels, nl = trees[_i].nloops;
  HavocMesh              mesh = Generate(nv, nl, 7);
  HavocTreeSpec          spec;
  PetscReal              inflow = 0;
  const HavocOutletType *wk3;

  ck_assert(!HavocTreeSpecDefault(&spec));
  ck_assert_int_eq(mesh->nvessels, nv + nl);
  ck_assert_int_eq(mesh->nloops, nl);
  ck_assert_int_eq(mesh->nnodes, nv + 1);
  ck_assert_int_eq(mesh->ninlets, 1);
  ck_assert_int_ge(mesh->noutlets, 1);
  for (PetscInt n = 0; n < mesh->nnodes; n++)
    ck_assert_int_le(mesh->nodes[n].degree, HAVOC_MAX_DEGREE);
  for (PetscInt e = 0; e < mesh->nvessels; e++) {
    const HavocMeshVessel *v = &mesh->vessels[e];

    ck_assert(v->length >= spec.length_min && v->length <= spec.length_max);
    ck_assert(v->r_prox <= spec.r_root && v->r_dist > 0);
    ExpectClose(v->h, 0.1 * v->r_prox, "h = 0.1 r");
    ck_assert(v->E == 700e3 && v->zeta == 9);
    if (v->outlet_type < 0) continue;
    ck_assert(!HavocOutletGet(v->outlet_type, &wk3));
    ck_assert_str_eq(wk3->name, "wk3");
    ExpectClose(v->outlet_param[2] * (v->outlet_param[0] + v->outlet_param[1]), 0.3, "R_total C");
    ck_assert(v->outlet_param[1] > 0.5 * (v->outlet_param[0] + v->outlet_param[1]));
    inflow += spec.pressure_mean / (v->outlet_param[0] + v->outlet_param[1]);
  }
  /* a sum of noutlets terms, each with a few roundings */
  ck_assert_msg(PetscAbsReal(inflow - spec.inflow_mean) <= 4 * mesh->noutlets * DBL_EPSILON * spec.inflow_mean, "the outlets take %g m^3/s", inflow);
  ExpectRoundTrip(mesh);
  Destroy(&mesh);
}
END_TEST

/* At every bifurcation of a loop-free tree, r_parent^3 = sum r_child^3 (Murray's law). */
START_TEST(generated_murray)
{
  HavocMesh mesh = Generate(200, 0, 3);

  for (PetscInt e = 0; e < mesh->nvessels; e++) {
    const HavocMeshVessel *p   = &mesh->vessels[e];
    PetscReal              sum = 0;
    if (p->outlet_type >= 0) continue;
    for (PetscInt c = 0; c < mesh->nvessels; c++)
      if (mesh->vessels[c].from == p->to) sum += PetscPowRealInt(mesh->vessels[c].r_prox, 3);
    ExpectClose(sum, PetscPowRealInt(p->r_dist, 3), "Murray's law");
    ExpectClose(p->r_dist, 0.95 * p->r_prox, "taper");
  }
  Destroy(&mesh);
}
END_TEST

START_TEST(generator_too_many_loops)
{
  HavocTreeSpec spec;
  HavocMesh     mesh = NULL;

  ck_assert(!HavocTreeSpecDefault(&spec));
  spec.nvessels = 5; /* two junctions, and they are neighbours */
  spec.nloops   = 1;
  captured[0]   = 0;
  ck_assert(!PetscPushErrorHandler(Capture, NULL));
  ck_assert_int_eq(HavocMeshGenerateTree(PETSC_COMM_WORLD, &spec, &mesh), PETSC_ERR_USER_INPUT);
  ck_assert(!PetscPopErrorHandler());
  ck_assert(!mesh);
  ck_assert_msg(strstr(captured, "cannot add 1 anastomoses to a tree of 5 vessels"), "%s", captured);
}
END_TEST

int main(int argc, char **argv)
{
  Suite *suite = suite_create("mesh");
  TCase *read = tcase_create("read"), *write = tcase_create("write"), *generate = tcase_create("generate"), *large = tcase_create("large");
  int    failed;

  if (PetscInitialize(&argc, &argv, NULL, NULL)) return 1;
  snprintf(tmpdir, sizeof(tmpdir), "/tmp/havoc-test-mesh-XXXXXX");
  if (!mkdtemp(tmpdir)) return 1;
  tcase_add_loop_test(read, rejects, 0, (int)(sizeof(bad) / sizeof(bad[0])));
  tcase_add_test(read, degree_limit);
  tcase_add_test(read, missing_file);
  tcase_add_test(read, valid_network);
  tcase_add_test(read, diastolic_reference);
  tcase_add_test(read, defaults);
  tcase_add_test(read, face_sections);
  tcase_add_test(read, territory_labels);
  tcase_add_test(read, default_name);
  tcase_add_test(write, round_trip);
  tcase_add_test(write, round_trip_awkward_values);
  tcase_add_test(write, view);
  tcase_add_test(generate, generator_determinism);
  tcase_add_loop_test(generate, generated_trees, 0, (int)(sizeof(trees) / sizeof(trees[0])) - 1);
  tcase_add_test(generate, generated_murray);
  tcase_add_test(generate, generator_too_many_loops);
  /* the largest tree: the code of the smaller ones at 5000 vessels, too slow under valgrind
     (tests/cli/valgrind.sh runs with CK_EXCLUDE_TAGS=slow) */
  tcase_set_tags(large, "slow");
  tcase_add_loop_test(large, generated_trees, (int)(sizeof(trees) / sizeof(trees[0])) - 1, (int)(sizeof(trees) / sizeof(trees[0])));
  suite_add_tcase(suite, read);
  suite_add_tcase(suite, write);
  suite_add_tcase(suite, generate);
  suite_add_tcase(suite, large);
  failed = HavocRunSuite(suite);
  rmdir(tmpdir);
  if (PetscFinalize()) return 1;
  return failed ? 1 : 0;
}
