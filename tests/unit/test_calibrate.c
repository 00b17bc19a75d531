/* Calibration (havoc calibrate): the calibration file's every documented error with its file:line
   message; the iteration against the analytic answer on a small rigid tree; the shipped default face is
   the calibration of its geometry (recalibrating gives the outlets of meshes/face/default.yaml) and meets
   every check of its calibration file on the steady state; a variant with a vessel missing. */
#include "calibrate.h"
#include "steady.h"

#include <check.h>
#include "unittest.h"
#include <string.h>

#define FACE_CALIBRATION "meshes/face/calibration.yaml"
#define FACE_DEFAULT     "meshes/face/default.yaml"

static PetscErrorCode ReadCapturing(const char *text, HavocCalibration *cal)
{
  *cal = NULL;
  if (HavocCaptureBegin()) return 1;
  return HavocCaptureEnd(HavocCalibrationReadString(PETSC_COMM_WORLD, "dir/cal.yaml", text, cal));
}

static PetscErrorCode CalibrateCapturing(HavocCalibration cal, HavocMesh mesh)
{
  if (HavocCaptureBegin()) return 1;
  return HavocCaptureEnd(HavocCalibrate(PETSC_COMM_WORLD, cal, mesh, NULL));
}

static HavocMesh ReadMesh(const char *label, const char *text)
{
  HavocMesh mesh = NULL;

  ck_assert(!HavocMeshReadString(PETSC_COMM_WORLD, label, text, &mesh));
  return mesh;
}

#define HEAD "format: havoc-calibration 1\nnetwork: tree.yaml\ninflow: 3 mL/min\npressure: 10 kPa\n"

/* Each bad file, the line its message names and words the message must contain. */
static const struct {
  const char *text;
  int         line;
  const char *words[2];
} bad[] = {
  {"format: havoc-calibration 2\n", 1, {"format", "havoc-calibration 1"}},
  {"network: tree.yaml\ninflow: 3 mL/min\npressure: 10 kPa\n", 0, {"missing", "format"}},
  {"format: havoc-calibration 1\nnetwork: tree.yaml\npressure: 10 kPa\n", 0, {"needs", "inflow"}},
  {HEAD "colour: blue\n", 5, {"unknown key 'colour'", "expected"}},
  {"format: havoc-calibration 1\nnetwork: tree.yaml\ninflow: 3 mmHg\npressure: 10 kPa\n", 3, {"inflow", "flow rate"}},
  {"format: havoc-calibration 1\nnetwork: tree.yaml\ninflow: 3 mL/min\npressure: 10 mm\n", 4, {"pressure", "a pressure"}},
  {"format: havoc-calibration 1\nnetwork: tree.yaml\ninflow: -3 mL/min\npressure: 10 kPa\n", 3, {"inflow", "> 0"}},
  {HEAD "time_constant: 0 s\n", 5, {"time_constant", "> 0"}},
  {HEAD "posture: 45\n", 5, {"posture", "with its unit"}},
  {HEAD "posture: sideways\n", 5, {"posture", "supine"}},
  {HEAD "posture: 120 deg\n", 5, {"posture", "outside [-90, 90]"}},
  {HEAD "gravity: 9.8 m/s\n", 5, {"gravity", "expected"}},
  {HEAD "compliant: maybe\n", 5, {"compliant", "true or false"}},
  {HEAD "tolerance: 2\n", 5, {"tolerance", "(0, 1)"}},
  {HEAD "targets:\n  - {vessel: a}\n", 6, {"needs a vessel and a flow", ""}},
  {HEAD "targets:\n  - {vessel: a, flow: -1 mL/min}\n", 6, {"flow", "> 0"}},
  {HEAD "targets:\n  - {vessel: a, flow: 1 mL/min, size: 2}\n", 6, {"unknown key 'size'", ""}},
  {HEAD "targets: {vessel: a}\n", 5, {"targets", "expected a list"}},
  {HEAD "checks:\n  - {vessel: a, mean_flow: [2 mL/min, 1 mL/min]}\n", 6, {"low end", "above the high end"}},
  {HEAD "checks:\n  - {vessel: a, mean_flow: [1 mL/min]}\n", 6, {"mean_flow", "range [low, high]"}},
  {HEAD "checks:\n  - {vessel: a, mean_flow: [1 mL/min, 2 mL/min], mean_velocity: [1 cm/s, 2 cm/s]}\n", 6, {"one quantity", ""}},
  {HEAD "checks:\n  - {vessel: a, peak_velocity: [1 mL/min, 2 mL/min]}\n", 6, {"peak_velocity", "a velocity"}},
  {HEAD "checks:\n  - {name: x, vessel: a}\n", 6, {"needs a vessel and one of", ""}},
  {HEAD "targets: [\n", 6, {"YAML syntax error", ""}},
  {HEAD "pressure: 9 kPa\n", 5, {"key 'pressure' given twice", "first on line 4"}},
  {HEAD "targets:\n  - {vessel: a, flow: 1 mL/min, flow: 2 mL/min}\n", 6, {"key 'flow' given twice", ""}},
  {HEAD "posture: 0.5\n", 5, {"posture", "with its unit"}},
};

START_TEST(rejects)
{
  HavocCalibration cal;
  char             where[64];

  ck_assert_msg(ReadCapturing(bad[_i].text, &cal), "case %d accepted:\n%s", _i, bad[_i].text);
  ck_assert(!cal);
  if (bad[_i].line) {
    snprintf(where, sizeof(where), "dir/cal.yaml:%d:", bad[_i].line);
    ck_assert_msg(strstr(captured, where), "case %d: '%s' does not name %s", _i, captured, where);
  } else ck_assert_msg(strstr(captured, "dir/cal.yaml"), "case %d: '%s' does not name the file", _i, captured);
  for (int w = 0; w < 2; w++)
    ck_assert_msg(!bad[_i].words[w][0] || strstr(captured, bad[_i].words[w]), "case %d: '%s' lacks '%s'", _i, captured, bad[_i].words[w]);
}
END_TEST

START_TEST(reads)
{
  HavocCalibration cal;

  ck_assert_msg(!ReadCapturing(HEAD "posture: reclined\ngravity: 0\ncompliant: false\ntime_constant: 0.25 s\ntargets:\n  - {vessel: a, flow: 1 mL/min, source: a study}\nchecks:\n  - {vessel: c, peak_velocity: [1 cm/s, 2 cm/s]}\n", &cal), "%s", captured);
  ck_assert_str_eq(cal->network, "dir/tree.yaml"); /* beside the calibration file */
  ck_assert(PetscAbsReal(cal->inflow - 3e-6 / 60) < 1e-20);
  ck_assert(PetscAbsReal(cal->posture.elevation - PETSC_PI / 6) < 1e-15);
  ck_assert(cal->posture.g == 0 && !cal->compliant && cal->tau == 0.25);
  ck_assert_int_eq(cal->ntargets, 1);
  ck_assert_str_eq(cal->targets[0].source, "a study");
  ck_assert_int_eq(cal->nchecks, 1);
  ck_assert_int_eq(cal->checks[0].kind, HAVOC_CHECK_PEAK_VELOCITY);
  ck_assert_str_eq(cal->checks[0].name, "c"); /* named after its vessel */
  ck_assert(!HavocCalibrationDestroy(&cal));
}
END_TEST

/* A rigid tree: trunk to node 2; a to the terminal 3; b to node 4; c and d, of equal radius, to the
   terminals 5 and 6. */
static const char tree[] = "format: havoc-network 1\n"
                           "nodes:\n"
                           "  - {id: 1, x: 0, y: 0, z: 0}\n"
                           "  - {id: 2, x: 0, y: -10, z: 0}\n"
                           "  - {id: 3, x: -5, y: -20, z: 0}\n"
                           "  - {id: 4, x: 5, y: -20, z: 0}\n"
                           "  - {id: 5, x: 0, y: -30, z: 0}\n"
                           "  - {id: 6, x: 10, y: -30, z: 0}\n"
                           "inlets:\n"
                           "  - {node: 1}\n"
                           "defaults: {E: 1 MPa, h: 0.1, zeta: 2}\n"
                           "vessels:\n"
                           "  - {name: trunk, from: 1, to: 2, length: 12, radius_prox: 1, radius_dist: 0.8}\n"
                           "  - {name: a, from: 2, to: 3, length: 14, radius: 0.5, outlet: {model: resistance, R: 1e10}}\n"
                           "  - {name: b, from: 2, to: 4, length: 12, radius: 0.5}\n"
                           "  - {name: c, from: 4, to: 5, length: 12, radius: 0.3, outlet: {model: wk3, R1: 1e9, R2: 1e10, C: 1e-12, p_out: 0}}\n"
                           "  - {name: d, from: 4, to: 6, length: 12, radius: 0.3, outlet: {model: resistance, R: 1e10}}\n";

#define TREE_CAL HEAD "gravity: 0\ncompliant: false\ntolerance: 1e-10\nblood_viscosity: 4 mPa s\ntargets:\n  - {vessel: a, flow: 1 mL/min}\n"

/* Rigid and without gravity, the outlets follow from Poiseuille along the tree: the inlet at the target
   pressure, a at its target, c and d sharing the rest equally (Murray's law, equal radii). */
START_TEST(analytic_tree)
{
  HavocCalibration cal;
  HavocMesh        mesh = ReadMesh("tree.yaml", tree);
  const PetscReal  P = 10e3, Q = 3e-6 / 60, Qa = 1e-6 / 60, Qc = 0.5 * (Q - Qa), rhoKR = 8 * PETSC_PI * 4e-3;
  PetscReal        R[5], p2, p4, want[3];
  PetscInt         wk3;
  const PetscInt   term[3] = {1, 3, 4};

  ck_assert_msg(!ReadCapturing(TREE_CAL, &cal), "%s", captured);
  for (PetscInt i = 0; i < 5; i++)
    R[i] = SteadyRigidResistance(&mesh->vessels[i], rhoKR);
  p2      = P - R[0] * Q;
  p4      = p2 - R[2] * 2 * Qc;
  want[0] = (p2 - R[1] * Qa) / Qa;
  want[1] = (p4 - R[3] * Qc) / Qc;
  want[2] = (p4 - R[4] * Qc) / Qc;
  ck_assert_msg(!CalibrateCapturing(cal, mesh), "%s", captured);
  ck_assert(!HavocOutletFind("wk3", &wk3));
  for (int k = 0; k < 3; k++) {
    const HavocMeshVessel *v  = &mesh->vessels[term[k]];
    const PetscReal        Rt = v->outlet_type == wk3 ? v->outlet_param[0] + v->outlet_param[1] : v->outlet_param[0];
    ck_assert_msg(PetscAbsReal(Rt - want[k]) <= 1e-8 * want[k], "%s: total resistance %.10g, Poiseuille gives %.10g", v->name, Rt, want[k]);
    if (v->outlet_type == wk3) {
      /* R1 the characteristic impedance at most half the total, C = tau / total */
      ck_assert(v->outlet_param[0] > 0 && v->outlet_param[0] <= 0.5 * Rt * (1 + 1e-12));
      ck_assert(PetscAbsReal(v->outlet_param[2] - cal->tau / Rt) <= 1e-12 * v->outlet_param[2]);
    }
  }
  ck_assert(!HavocCalibrationDestroy(&cal));
  ck_assert(!HavocMeshDestroy(&mesh));
}
END_TEST

/* What a network cannot do: a target on a vessel that is not terminal or not there, targets above the
   inflow, a pressure below the venous one. */
START_TEST(impossible)
{
  const char *cases[][2] = {
    {HEAD "targets:\n  - {vessel: b, flow: 1 mL/min}\n", "has no outlet"},
    {HEAD "targets:\n  - {vessel: e, flow: 1 mL/min}\n", "'e' is not in the network"},
    {HEAD "targets:\n  - {vessel: a, flow: 2 mL/min}\n  - {vessel: c, flow: 2 mL/min}\n", "more than its"},
    {HEAD "targets:\n  - {vessel: a, flow: 1 mL/min}\n  - {vessel: a, flow: 1 mL/min}\n", "two targets"},
    {"format: havoc-calibration 1\nnetwork: tree.yaml\ninflow: 3 mL/min\npressure: -1 kPa\n", "not above the outlets' venous pressure"},
    {HEAD "checks:\n  - {vessel: e, mean_flow: [1 mL/min, 2 mL/min]}\n", "check vessel 'e' is not in the network"},
  };

  for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
    HavocCalibration cal;
    HavocMesh        mesh = ReadMesh("tree.yaml", tree);
    ck_assert_msg(!ReadCapturing(cases[k][0], &cal), "%s", captured);
    ck_assert_msg(CalibrateCapturing(cal, mesh), "case %zu calibrated", k);
    ck_assert_msg(strstr(captured, cases[k][1]), "case %zu: '%s' lacks '%s'", k, captured, cases[k][1]);
    ck_assert(!HavocCalibrationDestroy(&cal));
    ck_assert(!HavocMeshDestroy(&mesh));
  }
}
END_TEST

/* A sampled patient may lack a target's vessel: its share goes to the others. */
START_TEST(variant_without_target)
{
  HavocCalibration cal;
  HavocMesh        mesh = ReadMesh("tree.yaml", tree);

  ck_assert_msg(!ReadCapturing(HEAD "gravity: 0\ntargets:\n  - {vessel: e, flow: 1 mL/min}\n", &cal), "%s", captured);
  cal->variant = PETSC_TRUE;
  ck_assert_msg(!CalibrateCapturing(cal, mesh), "%s", captured);
  ck_assert(!HavocCalibrationDestroy(&cal));
  ck_assert(!HavocMeshDestroy(&mesh));
}
END_TEST

/* Recalibrating the geometry reproduces the outlets of the shipped default face, and the calibrated steady
   state passes every check of the calibration file. */
START_TEST(shipped_default)
{
  HavocCalibration cal;
  HavocMesh        geometry, shipped;
  PetscInt         nout = 0;

  ck_assert(!HavocCaptureBegin());
  ck_assert_msg(!HavocCalibrationRead(PETSC_COMM_WORLD, FACE_CALIBRATION, &cal), "%s", captured);
  ck_assert_msg(!HavocMeshRead(PETSC_COMM_WORLD, cal->network, &geometry), "%s", captured);
  ck_assert_msg(!HavocMeshRead(PETSC_COMM_WORLD, FACE_DEFAULT, &shipped), "%s", captured);
  ck_assert_msg(!HavocCalibrate(PETSC_COMM_WORLD, cal, geometry, NULL), "%s", captured);
  ck_assert(!HavocCaptureEnd(0));
  ck_assert_int_eq(geometry->nvessels, shipped->nvessels);
  for (PetscInt i = 0; i < geometry->nvessels; i++) {
    const HavocMeshVessel *g = &geometry->vessels[i], *s = &shipped->vessels[i];
    ck_assert_str_eq(g->name, s->name);
    ck_assert_int_eq(g->outlet_type, s->outlet_type);
    if (g->outlet_type < 0) continue;
    nout++;
    for (int k = 0; k < HAVOC_OUTLET_MAXPARAM; k++)
      ck_assert_msg(PetscAbsReal(g->outlet_param[k] - s->outlet_param[k]) <= 1e-6 * PetscAbsReal(s->outlet_param[k]), "%s: parameter %d is %.10g, the shipped default has %.10g: recalibrate (havoc calibrate %s -o %s)", g->name, k, g->outlet_param[k], s->outlet_param[k], FACE_CALIBRATION, FACE_DEFAULT);
  }
  ck_assert_int_eq(nout, 46);
  ck_assert(!HavocMeshDestroy(&geometry));
  ck_assert(!HavocMeshDestroy(&shipped));
  ck_assert(!HavocCalibrationDestroy(&cal));
}
END_TEST

int main(int argc, char **argv)
{
  Suite *suite = suite_create("calibrate");
  TCase *read  = tcase_create("read");
  TCase *fit   = tcase_create("fit");
  int    failed;

  if (PetscInitialize(&argc, &argv, NULL, NULL)) return 1;
  if (HavocRegisterAll()) return 1;
  tcase_set_timeout(fit, 120);
  tcase_add_loop_test(read, rejects, 0, (int)(sizeof(bad) / sizeof(bad[0])));
  tcase_add_test(read, reads);
  tcase_add_test(fit, analytic_tree);
  tcase_add_test(fit, impossible);
  tcase_add_test(fit, variant_without_target);
  tcase_add_test(fit, shipped_default);
  suite_add_tcase(suite, read);
  suite_add_tcase(suite, fit);
  failed = HavocRunSuite(suite);
  if (PetscFinalize()) return 1;
  return failed ? 1 : 0;
}
