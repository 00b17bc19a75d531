/* Calibration of the outlets to a healthy state: the file, the iteration, the checks. */
#include "calibrate.h"
#include "network.h"
#include "steady.h"
#include "units.h"
#include "yamlio.h"

#include <petscviewer.h>

#include <libgen.h>
#include <string.h>
#include <jansson.h>
#include <math.h>
#include <yaml.h>

/* Reading ------------------------------------------------------------------------------------------- */

typedef struct {
  MPI_Comm         comm;
  const char      *label;
  yaml_document_t *doc;
} Reader;

static const char *Scalar(Reader *r, yaml_node_t *n)
{
  return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

static PetscErrorCode Quantity(Reader *r, yaml_node_t *n, const char key[], const char unit[], PetscReal *value)
{
  char        err[256];
  double      v;
  const char *text = Scalar(r, n);

  PetscFunctionBeginUser;
  HavocCheckUser(text, r->comm, "%s:%ld: %s: expected a value", r->label, (long)HavocYamlLine(n), key);
  HavocCheckUser(!HavocQuantityParse(text, unit, unit, &v, err, sizeof(err)), r->comm, "%s:%ld: %s: %s", r->label, (long)HavocYamlLine(n), key, err);
  *value = v;
  PetscFunctionReturn(0);
}

/* A pair [lo, hi] of quantities. */
static PetscErrorCode Range(Reader *r, yaml_node_t *n, const char key[], const char unit[], PetscReal *lo, PetscReal *hi)
{
  PetscFunctionBeginUser;
  HavocCheckUser(n->type == YAML_SEQUENCE_NODE && n->data.sequence.items.top - n->data.sequence.items.start == 2, r->comm, "%s:%ld: %s: expected a range [low, high]", r->label, (long)HavocYamlLine(n), key);
  PetscCall(Quantity(r, yaml_document_get_node(r->doc, n->data.sequence.items.start[0]), key, unit, lo));
  PetscCall(Quantity(r, yaml_document_get_node(r->doc, n->data.sequence.items.start[1]), key, unit, hi));
  HavocCheckUser(*lo <= *hi, r->comm, "%s:%ld: %s: the low end of the range is above the high end", r->label, (long)HavocYamlLine(n), key);
  PetscFunctionReturn(0);
}

static PetscErrorCode String(Reader *r, yaml_node_t *n, const char key[], char buf[], size_t len)
{
  const char *text = Scalar(r, n);

  PetscFunctionBeginUser;
  HavocCheckUser(text, r->comm, "%s:%ld: %s: expected text", r->label, (long)HavocYamlLine(n), key);
  PetscCall(PetscStrncpy(buf, text, len));
  PetscFunctionReturn(0);
}

/* A key given twice would silently override the first. */
static PetscErrorCode UniqueKeys(Reader *r, yaml_node_t *map)
{
  PetscFunctionBeginUser;
  for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++)
    for (yaml_node_pair_t *q = map->data.mapping.pairs.start; q < p; q++) {
      yaml_node_t *kp = yaml_document_get_node(r->doc, p->key), *kq = yaml_document_get_node(r->doc, q->key);
      const char  *a = Scalar(r, kp), *b = Scalar(r, kq);
      HavocCheckUser(!a || !b || strcmp(a, b), r->comm, "%s:%ld: key '%s' given twice (first on line %ld)", r->label, (long)HavocYamlLine(kp), a, (long)HavocYamlLine(kq));
    }
  PetscFunctionReturn(0);
}

static PetscErrorCode ReadTarget(Reader *r, yaml_node_t *n, HavocTarget *t)
{
  PetscBool vessel = PETSC_FALSE, flow = PETSC_FALSE;

  PetscFunctionBeginUser;
  HavocCheckUser(n->type == YAML_MAPPING_NODE, r->comm, "%s:%ld: a target is a mapping {vessel, flow, source}", r->label, (long)HavocYamlLine(n));
  PetscCall(UniqueKeys(r, n));
  t->line = (long)HavocYamlLine(n);
  for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
    yaml_node_t *k = yaml_document_get_node(r->doc, p->key), *v = yaml_document_get_node(r->doc, p->value);
    const char  *key = Scalar(r, k);
    HavocCheckUser(key, r->comm, "%s:%ld: expected a key", r->label, (long)HavocYamlLine(k));
    if (!strcmp(key, "vessel")) {
      PetscCall(String(r, v, key, t->vessel, sizeof(t->vessel)));
      vessel = PETSC_TRUE;
    } else if (!strcmp(key, "flow")) {
      PetscCall(Quantity(r, v, key, "m^3 s^-1", &t->flow));
      HavocCheckUser(t->flow > 0, r->comm, "%s:%ld: flow: a target flow must be > 0", r->label, (long)HavocYamlLine(v));
      flow = PETSC_TRUE;
    } else if (!strcmp(key, "source")) PetscCall(String(r, v, key, t->source, sizeof(t->source)));
    else SETERRQ(r->comm, PETSC_ERR_USER_INPUT, "%s:%ld: unknown key '%s' in a target (expected vessel, flow, source)", r->label, (long)HavocYamlLine(k), key);
  }
  HavocCheckUser(vessel && flow, r->comm, "%s:%ld: a target needs a vessel and a flow", r->label, (long)HavocYamlLine(n));
  PetscFunctionReturn(0);
}

static PetscErrorCode ReadCheck(Reader *r, yaml_node_t *n, HavocCheck *c)
{
  PetscBool vessel = PETSC_FALSE, range = PETSC_FALSE;

  PetscFunctionBeginUser;
  HavocCheckUser(n->type == YAML_MAPPING_NODE, r->comm, "%s:%ld: a check is a mapping {name, vessel, mean_flow | mean_velocity | peak_velocity | pressure_ratio: [low, high], source}", r->label, (long)HavocYamlLine(n));
  PetscCall(UniqueKeys(r, n));
  c->line = (long)HavocYamlLine(n);
  for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
    yaml_node_t *k = yaml_document_get_node(r->doc, p->key), *v = yaml_document_get_node(r->doc, p->value);
    const char  *key = Scalar(r, k);
    HavocCheckUser(key, r->comm, "%s:%ld: expected a key", r->label, (long)HavocYamlLine(k));
    if (!strcmp(key, "name")) PetscCall(String(r, v, key, c->name, sizeof(c->name)));
    else if (!strcmp(key, "vessel")) {
      PetscCall(String(r, v, key, c->vessel, sizeof(c->vessel)));
      vessel = PETSC_TRUE;
    } else if (!strcmp(key, "source")) PetscCall(String(r, v, key, c->source, sizeof(c->source)));
    else if (!strcmp(key, "mean_flow") || !strcmp(key, "mean_velocity") || !strcmp(key, "peak_velocity") || !strcmp(key, "pressure_ratio")) {
      HavocCheckUser(!range, r->comm, "%s:%ld: a check tests one quantity", r->label, (long)HavocYamlLine(k));
      c->kind = !strcmp(key, "mean_flow") ? HAVOC_CHECK_FLOW : !strcmp(key, "mean_velocity") ? HAVOC_CHECK_VELOCITY
                                                             : !strcmp(key, "peak_velocity") ? HAVOC_CHECK_PEAK_VELOCITY
                                                                                             : HAVOC_CHECK_PRESSURE_RATIO;
      PetscCall(Range(r, v, key, c->kind == HAVOC_CHECK_FLOW ? "m^3 s^-1" : c->kind == HAVOC_CHECK_PRESSURE_RATIO ? ""
                                                                                                                  : "m s^-1",
                      &c->lo, &c->hi));
      range = PETSC_TRUE;
    } else SETERRQ(r->comm, PETSC_ERR_USER_INPUT, "%s:%ld: unknown key '%s' in a check (expected name, vessel, mean_flow, mean_velocity, peak_velocity, pressure_ratio, source)", r->label, (long)HavocYamlLine(k), key);
  }
  HavocCheckUser(vessel && range, r->comm, "%s:%ld: a check needs a vessel and one of mean_flow, mean_velocity, peak_velocity, pressure_ratio", r->label, (long)HavocYamlLine(n));
  if (!c->name[0]) PetscCall(PetscStrncpy(c->name, c->vessel, sizeof(c->name)));
  PetscFunctionReturn(0);
}

static PetscErrorCode ReadList(Reader *r, yaml_node_t *n, const char key[], PetscInt *count, void **items, size_t size, PetscErrorCode (*read)(Reader *, yaml_node_t *, void *))
{
  PetscInt k = 0;

  PetscFunctionBeginUser;
  HavocCheckUser(n->type == YAML_SEQUENCE_NODE, r->comm, "%s:%ld: %s: expected a list", r->label, (long)HavocYamlLine(n), key);
  *count = (PetscInt)(n->data.sequence.items.top - n->data.sequence.items.start);
  PetscCall(PetscCalloc(PetscMax(*count, 1) * size, items));
  for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++, k++)
    PetscCall(read(r, yaml_document_get_node(r->doc, *it), (char *)*items + k * size));
  PetscFunctionReturn(0);
}

static PetscErrorCode ReadTargetV(Reader *r, yaml_node_t *n, void *t)
{
  return ReadTarget(r, n, (HavocTarget *)t);
}

static PetscErrorCode ReadCheckV(Reader *r, yaml_node_t *n, void *c)
{
  return ReadCheck(r, n, (HavocCheck *)c);
}

static PetscErrorCode ReadRoot(Reader *r, yaml_node_t *root, HavocCalibration cal, const char dir[])
{
  PetscBool have[4] = {PETSC_FALSE, PETSC_FALSE, PETSC_FALSE, PETSC_FALSE}; /* format, network, inflow, pressure */

  PetscFunctionBeginUser;
  HavocCheckUser(root && root->type == YAML_MAPPING_NODE, r->comm, "%s:1: a calibration file is a mapping (format, network, inflow, pressure, ...)", r->label);
  PetscCall(UniqueKeys(r, root));
  for (yaml_node_pair_t *p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top; p++) {
    yaml_node_t *k = yaml_document_get_node(r->doc, p->key), *v = yaml_document_get_node(r->doc, p->value);
    const char  *key = Scalar(r, k);
    HavocCheckUser(key, r->comm, "%s:%ld: expected a key", r->label, (long)HavocYamlLine(k));
    if (!strcmp(key, "format")) {
      HavocCheckUser(Scalar(r, v) && !strcmp(Scalar(r, v), "havoc-calibration 1"), r->comm, "%s:%ld: format: expected 'havoc-calibration 1'", r->label, (long)HavocYamlLine(v));
      have[0] = PETSC_TRUE;
    } else if (!strcmp(key, "network")) {
      char name[PETSC_MAX_PATH_LEN];
      PetscCall(String(r, v, key, name, sizeof(name)));
      if (name[0] == '/' || !strcmp(dir, ".")) PetscCall(PetscStrncpy(cal->network, name, sizeof(cal->network)));
      else PetscCall(PetscSNPrintf(cal->network, sizeof(cal->network), "%s/%s", dir, name));
      have[1] = PETSC_TRUE;
    } else if (!strcmp(key, "inflow")) {
      PetscCall(Quantity(r, v, key, "m^3 s^-1", &cal->inflow));
      HavocCheckUser(cal->inflow > 0, r->comm, "%s:%ld: inflow: must be > 0", r->label, (long)HavocYamlLine(v));
      have[2] = PETSC_TRUE;
    } else if (!strcmp(key, "pressure")) {
      PetscCall(Quantity(r, v, key, "Pa", &cal->pressure));
      have[3] = PETSC_TRUE;
    } else if (!strcmp(key, "time_constant")) {
      PetscCall(Quantity(r, v, key, "s", &cal->tau));
      HavocCheckUser(cal->tau > 0, r->comm, "%s:%ld: time_constant: must be > 0", r->label, (long)HavocYamlLine(v));
    } else if (!strcmp(key, "blood_density")) {
      PetscCall(Quantity(r, v, key, "kg m^-3", &cal->rho));
      HavocCheckUser(cal->rho > 0, r->comm, "%s:%ld: blood_density: must be > 0", r->label, (long)HavocYamlLine(v));
    } else if (!strcmp(key, "blood_viscosity")) {
      PetscCall(Quantity(r, v, key, "Pa s", &cal->mu));
      HavocCheckUser(cal->mu >= 0, r->comm, "%s:%ld: blood_viscosity: must be >= 0", r->label, (long)HavocYamlLine(v));
    } else if (!strcmp(key, "zeta")) PetscCall(Quantity(r, v, key, "", &cal->zeta));
    else if (!strcmp(key, "compliant")) {
      const char *b = Scalar(r, v);
      HavocCheckUser(b && (!strcmp(b, "true") || !strcmp(b, "false")), r->comm, "%s:%ld: compliant: expected true or false", r->label, (long)HavocYamlLine(v));
      cal->compliant = (PetscBool)!strcmp(b, "true");
    } else if (!strcmp(key, "posture")) {
      char err[512];
      HavocCheckUser(Scalar(r, v), r->comm, "%s:%ld: posture: expected a name or an angle", r->label, (long)HavocYamlLine(v));
      HavocCheckUser(!HavocPostureParse(Scalar(r, v), &cal->posture.elevation, err, sizeof(err)), r->comm, "%s:%ld: posture: %s", r->label, (long)HavocYamlLine(v), err);
    } else if (!strcmp(key, "gravity")) {
      PetscCall(Quantity(r, v, key, "m s^-2", &cal->posture.g));
      HavocCheckUser(cal->posture.g >= 0 && cal->posture.g <= 100, r->comm, "%s:%ld: gravity: expected an acceleration in [0, 100] m/s^2", r->label, (long)HavocYamlLine(v));
    } else if (!strcmp(key, "tolerance")) {
      PetscCall(Quantity(r, v, key, "", &cal->rtol));
      HavocCheckUser(cal->rtol > 0 && cal->rtol < 1, r->comm, "%s:%ld: tolerance: expected a number in (0, 1)", r->label, (long)HavocYamlLine(v));
    } else if (!strcmp(key, "targets")) PetscCall(ReadList(r, v, key, &cal->ntargets, (void **)&cal->targets, sizeof(HavocTarget), ReadTargetV));
    else if (!strcmp(key, "checks")) PetscCall(ReadList(r, v, key, &cal->nchecks, (void **)&cal->checks, sizeof(HavocCheck), ReadCheckV));
    else if (!strcmp(key, "description")) continue;
    else SETERRQ(r->comm, PETSC_ERR_USER_INPUT, "%s:%ld: unknown key '%s' (expected format, description, network, inflow, pressure, time_constant, blood_density, blood_viscosity, zeta, compliant, posture, gravity, tolerance, targets, checks)", r->label, (long)HavocYamlLine(k), key);
  }
  HavocCheckUser(have[0], r->comm, "%s: missing 'format: havoc-calibration 1'", r->label);
  HavocCheckUser(have[1] && have[2] && have[3], r->comm, "%s: a calibration file needs network, inflow and pressure", r->label);
  PetscFunctionReturn(0);
}

PetscErrorCode HavocCalibrationReadString(MPI_Comm comm, const char label[], const char text[], HavocCalibration *calibration)
{
  HavocCalibration cal;
  char             dir[PETSC_MAX_PATH_LEN], copy[PETSC_MAX_PATH_LEN], problem[256];
  yaml_document_t  doc;
  long             line;
  int              rc;
  Reader           r;
  PetscErrorCode   ierr;

  PetscFunctionBeginUser;
  *calibration = NULL;
  PetscCall(PetscNew(&cal));
  PetscCall(PetscStrncpy(cal->path, label, sizeof(cal->path)));
  cal->tau       = 0.3;
  cal->rho       = 1060;
  cal->mu        = 4e-3;
  cal->zeta      = -1;
  cal->compliant = PETSC_TRUE;
  cal->rtol      = 1e-4;
  cal->maxit     = 500;
  HavocPostureDefault(&cal->posture);
  PetscCall(PetscStrncpy(copy, label, sizeof(copy)));
  PetscCall(PetscStrncpy(dir, dirname(copy), sizeof(dir)));
  rc = HavocYamlLoad(text, strlen(text), &doc, &line, problem, sizeof(problem));
  if (rc != HAVOC_YAML_OK) PetscCall(PetscFree(cal));
  HavocCheckUser(rc != HAVOC_YAML_SYNTAX, comm, "%s:%ld: YAML syntax error: %s", label, line, problem);
  HavocCheckUser(rc != HAVOC_YAML_SECOND, comm, "%s:%ld: a second YAML document; a calibration file holds one", label, line);
  r.comm  = comm;
  r.label = label;
  r.doc   = &doc;
  ierr    = ReadRoot(&r, yaml_document_get_root_node(&doc), cal, dir);
  yaml_document_delete(&doc);
  if (ierr) PetscCall(HavocCalibrationDestroy(&cal));
  PetscCall(ierr);
  *calibration = cal;
  PetscFunctionReturn(0);
}

PetscErrorCode HavocCalibrationRead(MPI_Comm comm, const char path[], HavocCalibration *calibration)
{
  char          *text;
  size_t         len;
  PetscErrorCode ierr;

  PetscFunctionBeginUser;
  PetscCall(HavocReadFile(comm, path, "calibration file", &text, &len));
  ierr = HavocCalibrationReadString(comm, path, text, calibration);
  PetscCall(PetscFree(text));
  PetscCall(ierr);
  PetscFunctionReturn(0);
}

PetscErrorCode HavocCalibrationDestroy(HavocCalibration *cal)
{
  PetscFunctionBeginUser;
  if (!*cal) PetscFunctionReturn(0);
  PetscCall(PetscFree((*cal)->targets));
  PetscCall(PetscFree((*cal)->checks));
  PetscCall(PetscFree(*cal));
  PetscFunctionReturn(0);
}

/* The iteration ------------------------------------------------------------------------------------- */

/* Writes the total resistance of each terminal into its outlet: R1 the characteristic impedance of the
   vessel's end (at most half), R2 the rest, C = tau / total. */
static PetscErrorCode SetOutlets(HavocCalibration cal, HavocMesh mesh, const PetscReal Rt[], const PetscReal p0[], const PetscReal pL[], PetscBool final)
{
  PetscInt wk3, res;

  PetscFunctionBeginUser;
  PetscCall(HavocOutletFind("wk3", &wk3));
  PetscCall(HavocOutletFind("resistance", &res));
  for (PetscInt i = 0; i < mesh->nvessels; i++) {
    HavocMeshVessel *v = &mesh->vessels[i];
    if (v->outlet_type < 0) continue;
    if (v->outlet_type == res) v->outlet_param[0] = Rt[i];
    else {
      HavocCheckUser(v->outlet_type == wk3, PETSC_COMM_SELF, "vessel '%s' (line %" PetscInt_FMT " of %s): calibration sets wk3 and resistance outlets only", v->name, v->line, mesh->path);
      if (final) {
        HavocTube t;
        PetscReal A, c, Z;
        NetworkVesselTube(v, v->outlet_node == v->to ? v->length : 0, &t);
        A                  = HavocTubeArea(&t, v->outlet_node == v->to ? pL[i] : p0[i]);
        c                  = HavocTubeWaveSpeed(&t, cal->rho, A);
        Z                  = PetscMin(cal->rho * c / A, 0.5 * Rt[i]);
        v->outlet_param[0] = Z;
        v->outlet_param[1] = Rt[i] - Z;
        v->outlet_param[2] = cal->tau / Rt[i];
      } else {
        v->outlet_param[0] = 0;
        v->outlet_param[1] = Rt[i];
      }
    }
  }
  PetscFunctionReturn(0);
}

/* The inlet that feeds each terminal: the nearest one along the vessels (multi-source Dijkstra on the
   vessel lengths). owner[i] for every terminal vessel i, -1 elsewhere. */
static PetscErrorCode TerminalOwners(HavocMesh mesh, PetscInt owner[])
{
  PetscReal *dist;
  PetscInt  *from;
  PetscBool *done;

  PetscFunctionBeginUser;
  PetscCall(PetscMalloc3(mesh->nnodes, &dist, mesh->nnodes, &from, mesh->nnodes, &done));
  for (PetscInt n = 0; n < mesh->nnodes; n++) {
    dist[n] = PETSC_MAX_REAL;
    from[n] = -1;
    done[n] = PETSC_FALSE;
  }
  for (PetscInt k = 0; k < mesh->ninlets; k++) {
    dist[mesh->inlets[k].node] = 0;
    from[mesh->inlets[k].node] = k;
  }
  for (;;) {
    PetscInt u = -1;
    for (PetscInt n = 0; n < mesh->nnodes; n++)
      if (!done[n] && dist[n] < PETSC_MAX_REAL && (u < 0 || dist[n] < dist[u])) u = n;
    if (u < 0) break;
    done[u] = PETSC_TRUE;
    for (PetscInt i = 0; i < mesh->nvessels; i++) {
      const HavocMeshVessel *v = &mesh->vessels[i];
      const PetscInt         w = v->from == u ? v->to : v->to == u ? v->from
                                                                   : -1;
      if (w >= 0 && !done[w] && dist[u] + v->length < dist[w]) {
        dist[w] = dist[u] + v->length;
        from[w] = from[u];
      }
    }
  }
  for (PetscInt i = 0; i < mesh->nvessels; i++)
    owner[i] = mesh->vessels[i].outlet_type >= 0 ? from[mesh->vessels[i].outlet_node] : -1;
  PetscCall(PetscFree3(dist, from, done));
  PetscFunctionReturn(0);
}

/* The target outflow of every terminal: the file's, and for the others (free[i]) a first guess, what is
   left of the inflow of the inlet that feeds them shared in proportion to the cube of their terminal
   radius (Murray's law). The iteration keeps the Murray shares among the free terminals of an inlet but
   lets their total follow from the inlet's pressure, so that an asymmetric patient needs no flow across
   the midline. given and r3 are work arrays of one entry per inlet. */
static PetscErrorCode Targets(MPI_Comm comm, HavocCalibration cal, HavocMesh mesh, const PetscInt owner[], PetscReal Qt[], PetscReal share[], PetscReal given[], PetscReal r3[])
{
  PetscFunctionBeginUser;
  PetscCall(PetscArrayzero(given, mesh->ninlets));
  PetscCall(PetscArrayzero(r3, mesh->ninlets));
  for (PetscInt i = 0; i < mesh->nvessels; i++)
    Qt[i] = share[i] = 0;
  for (PetscInt t = 0; t < cal->ntargets; t++) {
    PetscInt i;
    PetscCall(HavocMeshFindVessel(mesh, cal->targets[t].vessel, &i));
    HavocCheckUser(i >= 0 || cal->variant, comm, "%s:%" PetscInt_FMT ": target vessel '%s' is not in the network %s", cal->path, cal->targets[t].line, cal->targets[t].vessel, mesh->path);
    if (i < 0) continue; /* a variant without it: its share goes to the others */
    HavocCheckUser(mesh->vessels[i].outlet_type >= 0, comm, "%s:%" PetscInt_FMT ": target vessel '%s' has no outlet: targets are the outflows of terminal vessels", cal->path, cal->targets[t].line, cal->targets[t].vessel);
    HavocCheckUser(Qt[i] == 0, comm, "%s:%" PetscInt_FMT ": vessel '%s' has two targets", cal->path, cal->targets[t].line, cal->targets[t].vessel);
    HavocCheckUser(owner[i] >= 0, comm, "%s:%" PetscInt_FMT ": vessel '%s' is not connected to an inlet", cal->path, cal->targets[t].line, cal->targets[t].vessel);
    Qt[i] = cal->targets[t].flow;
    given[owner[i]] += Qt[i];
  }
  for (PetscInt i = 0; i < mesh->nvessels; i++) {
    const HavocMeshVessel *v = &mesh->vessels[i];
    const PetscReal        r = v->outlet_node == v->to ? v->r_dist : v->r_prox;
    if (v->outlet_type >= 0 && Qt[i] == 0 && owner[i] >= 0) r3[owner[i]] += r * r * r;
  }
  for (PetscInt k = 0; k < mesh->ninlets; k++) {
    const PetscReal in = cal->inflow * mesh->inlets[k].scale;
    HavocCheckUser(given[k] < in || (given[k] == in && r3[k] == 0), comm, "%s: the targets of the terminals nearest inlet '%s' ask for %.6g mL/s, more than its %.6g mL/s", cal->path, mesh->inlets[k].name, 1e6 * (double)given[k], 1e6 * (double)in);
  }
  for (PetscInt i = 0; i < mesh->nvessels; i++) {
    const HavocMeshVessel *v = &mesh->vessels[i];
    const PetscReal        r = v->outlet_node == v->to ? v->r_dist : v->r_prox;
    if (v->outlet_type >= 0 && Qt[i] == 0 && owner[i] >= 0) {
      share[i] = r * r * r / r3[owner[i]];
      Qt[i]    = (cal->inflow * mesh->inlets[owner[i]].scale - given[owner[i]]) * share[i];
    }
    HavocCheckUser(v->outlet_type < 0 || Qt[i] > 0, comm, "%s: terminal vessel '%s' is not connected to an inlet", cal->path, v->name);
  }
  PetscFunctionReturn(0);
}

/* The mean pressure at every inlet node, and their mean. */
static PetscReal InletPressures(HavocMesh mesh, const PetscReal p0[], const PetscReal pL[], PetscReal pk[])
{
  PetscReal mean = 0;

  for (PetscInt k = 0; k < mesh->ninlets; k++) {
    const PetscInt n = mesh->inlets[k].node;
    PetscInt       m = 0;
    pk[k]            = 0;
    for (PetscInt i = 0; i < mesh->nvessels; i++) {
      if (mesh->vessels[i].from == n) pk[k] += p0[i], m++;
      if (mesh->vessels[i].to == n) pk[k] += pL[i], m++;
    }
    pk[k] /= PetscMax(m, 1);
    mean += pk[k] / mesh->ninlets;
  }
  return mean;
}

/* What a calibration allocates. HavocCalibrate frees it also when the calibration fails (a bad target, no
   convergence): havoc sweep records a failed case and goes on in the same process. */
typedef struct {
  Network    net;
  Steady     s;
  PetscReal *Qt, *Rt, *pk, *share, *free_total, *given, *r3;
  PetscInt  *owner;
} CalibrateWork;

static PetscErrorCode Calibrate(MPI_Comm comm, HavocCalibration cal, HavocMesh mesh, PetscViewer viewer, CalibrateWork *w)
{
  Network          net;
  Steady           s;
  PetscReal       *Qt = w->Qt, *Rt = w->Rt, *pk = w->pk, *share = w->share, *free_total = w->free_total, p_out = 0, err_q = 0, err_p = 0;
  const PetscReal *Q, *p0, *pL;
  PetscInt         it, nterm = 0, wk3, *owner = w->owner, worst = -1;

  PetscFunctionBeginUser;
  PetscCall(TerminalOwners(mesh, owner));
  PetscCall(Targets(comm, cal, mesh, owner, Qt, share, w->given, w->r3));
  PetscCall(HavocOutletFind("wk3", &wk3));
  for (PetscInt i = 0; i < mesh->nvessels; i++) {
    HavocMeshVessel *v = &mesh->vessels[i];
    if (v->outlet_type < 0) continue;
    p_out += v->outlet_param[v->outlet_type == wk3 ? 3 : 1]; /* wk3: R1, R2, C, p_out; resistance: R, p_out */
    nterm++;
  }
  p_out /= PetscMax(nterm, 1);
  HavocCheckUser(cal->pressure > p_out, comm, "%s: the target inlet pressure %.6g Pa is not above the outlets' venous pressure %.6g Pa", cal->path, (double)cal->pressure, (double)p_out);
  for (PetscInt i = 0; i < mesh->nvessels; i++)
    Rt[i] = Qt[i] > 0 ? (cal->pressure - p_out) / Qt[i] : 0;

  /* the steady network: coarse cells are enough, only the graph and the ownership are used */
  PetscCall(NetworkCreate(comm, mesh, &w->net));
  net            = w->net;
  net->dx        = 1;
  net->min_cells = 1;
  {
    PetscReal g[3];
    HavocPostureGravity(&cal->posture, g);
    PetscCall(NetworkSetGravity(net, cal->rho, g));
  }
  PetscCall(NetworkSetUp(net));
  PetscCall(SetOutlets(cal, mesh, Rt, NULL, NULL, PETSC_FALSE));
  PetscCall(SteadyCreate(net, &w->s));
  s = w->s;
  PetscCall(SteadySetFromOptions(s));
  PetscCall(SteadySetCompliant(s, cal->compliant));
  PetscCall(SteadySetBlood(s, cal->rho, cal->mu, cal->zeta));
  PetscCall(SteadySetInlet(s, PETSC_FALSE, cal->inflow));
  PetscCall(SteadySetUp(s));
  for (it = 0; it < cal->maxit; it++) {
    PetscCall(SteadyOutletsChanged(s));
    PetscCall(SteadySolve(s));
    PetscCall(SteadyGetSolution(s, &Q, &p0, &pL));
    (void)InletPressures(mesh, p0, pL, pk);
    /* the free terminals of an inlet take their Murray shares of what they take together */
    for (PetscInt k = 0; k < mesh->ninlets; k++)
      free_total[k] = 0;
    for (PetscInt i = 0; i < mesh->nvessels; i++)
      if (share[i] > 0) free_total[owner[i]] += mesh->vessels[i].outlet_node == mesh->vessels[i].to ? Q[i] : -Q[i];
    for (PetscInt i = 0; i < mesh->nvessels; i++)
      if (share[i] > 0) Qt[i] = share[i] * free_total[owner[i]];
    err_p = 0;
    for (PetscInt k = 0; k < mesh->ninlets; k++)
      err_p = PetscMax(err_p, PetscAbsReal(pk[k] - cal->pressure) / (cal->pressure - p_out));
    err_q = 0;
    for (PetscInt i = 0; i < mesh->nvessels; i++) {
      const HavocMeshVessel *v = &mesh->vessels[i];
      PetscReal              q;
      if (v->outlet_type < 0) continue;
      q = v->outlet_node == v->to ? Q[i] : -Q[i];
      if (PetscAbsReal(q / Qt[i] - 1) > err_q) {
        err_q = PetscAbsReal(q / Qt[i] - 1);
        worst = i;
      }
    }
    if (err_q <= cal->rtol && err_p <= cal->rtol) break;
    /* a terminal that takes too much gets more resistance, one that takes too little less (at most a
       factor 4 per step, so that the compliant solves stay near each other); the terminals of an inlet
       together move its pressure */
    for (PetscInt i = 0; i < mesh->nvessels; i++) {
      const HavocMeshVessel *v = &mesh->vessels[i];
      PetscReal              q, scale;
      if (v->outlet_type < 0) continue;
      q     = v->outlet_node == v->to ? Q[i] : -Q[i];
      scale = (cal->pressure - p_out) / PetscMax(pk[owner[i]] - p_out, 0.01 * (cal->pressure - p_out));
      Rt[i] *= PetscMin(PetscMax(Qt[i] > 0 ? q / Qt[i] : 1, 0.25), 4) * PetscMin(PetscMax(scale, 0.25), 4);
    }
    PetscCall(SetOutlets(cal, mesh, Rt, NULL, NULL, PETSC_FALSE));
  }
  if (it == cal->maxit) {
    /* a terminal whose resistance kept falling without reaching its target lies behind too narrow a path */
    const PetscReal fell = worst >= 0 ? Rt[worst] * Qt[worst] / (cal->pressure - p_out) : 1;
    SETERRQ(comm, PETSC_ERR_USER_INPUT, "%s: calibration of %s did not converge in %" PetscInt_FMT " steady solves: the flows are within %.2g (worst: '%s', %.4g mL/min for a target of %.4g, its resistance down to %.2g of its first guess) and the inlet pressures within %.2g of their targets; %s", cal->path, mesh->path, cal->maxit, (double)err_q, worst >= 0 ? mesh->vessels[worst].name : "", worst >= 0 ? 6e7 * (double)PetscAbsReal(Q[worst]) : 0.0, worst >= 0 ? 6e7 * (double)Qt[worst] : 0.0, (double)fell, (double)err_p,
            fell < 0.05 ? "the vessels that lead to it are too narrow to carry its target at this pressure: lower the target or widen the path" : "can this anatomy carry the targets at this pressure?");
  }
  PetscCall(SetOutlets(cal, mesh, Rt, p0, pL, PETSC_TRUE));
  if (viewer) {
    PetscCall(PetscViewerASCIIPrintf(viewer, "calibrated %s in %" PetscInt_FMT " steady solves: flows within %.2g and inlet pressure within %.2g of their targets\n", mesh->path, it + 1, (double)err_q, (double)err_p));
    PetscCall(PetscViewerASCIIPrintf(viewer, "  %-28s %12s %12s %12s %12s %12s\n", "terminal", "target mL/min", "flow mL/min", "R1 Pa s/m3", "R2 Pa s/m3", "C m3/Pa"));
    for (PetscInt i = 0; i < mesh->nvessels; i++) {
      const HavocMeshVessel *v = &mesh->vessels[i];
      if (v->outlet_type < 0) continue;
      PetscCall(PetscViewerASCIIPrintf(viewer, "  %-28s %12.5g %12.5g %12.4e %12.4e %12.4e\n", v->name, 6e7 * (double)Qt[i], 6e7 * (double)(v->outlet_node == v->to ? Q[i] : -Q[i]), (double)v->outlet_param[0], (double)v->outlet_param[1], (double)v->outlet_param[2]));
    }
  }
  if (cal->nchecks) {
    PetscReal      *p, *u;
    PetscInt        nfail, nchecked;
    HavocCheckState state = {NULL, NULL, NULL, NULL, 0, NULL};
    PetscErrorCode  ierr;
    PetscCall(PetscMalloc2(mesh->nvessels, &p, mesh->nvessels, &u));
    for (PetscInt i = 0; i < mesh->nvessels; i++) {
      PetscReal A;
      PetscCall(SteadyGetMidArea(s, i, &A));
      p[i] = 0.5 * (p0[i] + pL[i]);
      u[i] = Q[i] / A;
    }
    if (viewer) PetscCall(PetscViewerASCIIPrintf(viewer, "checks of the healthy state on the steady solution:\n"));
    state.flow     = Q;
    state.pressure = p;
    state.velocity = u;
    state.peak     = NULL;
    state.p_in     = InletPressures(mesh, p0, pL, pk);
    ierr           = HavocCalibrationCheck(cal, mesh, &state, viewer, &nfail, &nchecked);
    PetscCall(PetscFree2(p, u));
    PetscCall(ierr);
  }
  PetscFunctionReturn(0);
}

PetscErrorCode HavocCalibrate(MPI_Comm comm, HavocCalibration cal, HavocMesh mesh, PetscViewer viewer)
{
  CalibrateWork  w = {0};
  PetscErrorCode ierr;

  PetscFunctionBeginUser;
  PetscCall(PetscMalloc6(mesh->nvessels, &w.Qt, mesh->nvessels, &w.Rt, mesh->nvessels, &w.owner, mesh->ninlets, &w.pk, mesh->nvessels, &w.share, mesh->ninlets, &w.free_total));
  PetscCall(PetscMalloc2(mesh->ninlets, &w.given, mesh->ninlets, &w.r3));
  ierr = Calibrate(comm, cal, mesh, viewer, &w);
  PetscCall(SteadyDestroy(&w.s));
  PetscCall(NetworkDestroy(&w.net));
  PetscCall(PetscFree6(w.Qt, w.Rt, w.owner, w.pk, w.share, w.free_total));
  PetscCall(PetscFree2(w.given, w.r3));
  PetscCall(ierr);
  PetscFunctionReturn(0);
}

PetscErrorCode HavocCalibrationCheck(HavocCalibration cal, HavocMesh mesh, const HavocCheckState *st, PetscViewer viewer, PetscInt *nfail, PetscInt *nchecked)
{
  PetscFunctionBeginUser;
  *nfail    = 0;
  *nchecked = 0;
  for (PetscInt c = 0; c < cal->nchecks; c++) {
    const HavocCheck *ck     = &cal->checks[c];
    const char       *unit[] = {ck->hi < 1e-6 / 60 ? "uL/min" : "mL/min", "cm/s", "cm/s", ""};
    const PetscReal   to[]   = {ck->hi < 1e-6 / 60 ? 6e10 : 6e7, 1e2, 1e2, 1};
    PetscInt          i;
    PetscReal         x;
    PetscBool         ok;
    PetscCall(HavocMeshFindVessel(mesh, ck->vessel, &i));
    HavocCheckUser(i >= 0 || cal->variant, PETSC_COMM_SELF, "%s:%" PetscInt_FMT ": check vessel '%s' is not in the network %s", cal->path, ck->line, ck->vessel, mesh->path);
    if (i < 0) {
      /* a variant may lack the vessel: said, not counted */
      if (viewer) PetscCall(PetscViewerASCIIPrintf(viewer, "  %-44s %10s %-7s in [%.4g, %.4g]  not evaluated (no vessel %s in %s)\n", ck->name, "-", unit[ck->kind], (double)(ck->lo * to[ck->kind]), (double)(ck->hi * to[ck->kind]), ck->vessel, mesh->path));
      continue;
    }
    if (ck->kind == HAVOC_CHECK_PEAK_VELOCITY && !st->peak) {
      if (viewer) PetscCall(PetscViewerASCIIPrintf(viewer, "  %-44s %10s %-7s in [%.4g, %.4g]  not evaluated (pulsatile only)\n", ck->name, "-", unit[ck->kind], (double)(ck->lo * to[ck->kind]), (double)(ck->hi * to[ck->kind])));
      continue;
    }
    switch (ck->kind) {
    case HAVOC_CHECK_FLOW:
      x = PetscAbsReal(st->flow[i]);
      break;
    case HAVOC_CHECK_VELOCITY:
      x = PetscAbsReal(st->velocity[i]);
      break;
    case HAVOC_CHECK_PEAK_VELOCITY:
      x = PetscAbsReal(st->peak[i]);
      break;
    default:
      x = st->pressure[i] / st->p_in;
    }
    ok = (PetscBool)(x >= ck->lo && x <= ck->hi);
    (*nchecked)++;
    if (!ok) (*nfail)++;
    if (viewer) PetscCall(PetscViewerASCIIPrintf(viewer, "  %-44s %10.4g %-7s in [%.4g, %.4g]  %s\n", ck->name, (double)(x * to[ck->kind]), unit[ck->kind], (double)(ck->lo * to[ck->kind]), (double)(ck->hi * to[ck->kind]), ok ? "ok" : "OUT OF RANGE"));
  }
  PetscFunctionReturn(0);
}

/* A number of a vessel's entry in summary.json; NaN when absent. */
static double JsonNumber(json_t *o, const char key[])
{
  json_t *v = json_object_get(o, key);
  return json_is_number(v) ? json_number_value(v) : NAN;
}

PetscErrorCode HavocCheckStateReadSummary(MPI_Comm comm, const char path[], HavocMesh mesh, HavocCheckState *st)
{
  char        *text;
  size_t       len;
  json_t      *root, *vessels;
  json_error_t jerr;
  PetscReal   *flow, *pressure, *velocity, *peak, *p0, *pL, *pk;
  PetscInt     npeak = 0;

  PetscFunctionBeginUser;
  PetscCall(HavocReadFile(comm, path, "run summary", &text, &len));
  root = json_loadb(text, len, 0, &jerr);
  PetscCall(PetscFree(text));
  HavocCheckUser(root, comm, "%s:%d: not a JSON file: %s", path, jerr.line, jerr.text);
  vessels = json_object_get(root, "vessels");
  if (!json_is_array(vessels) || !json_is_string(json_object_get(root, "format")) || strcmp(json_string_value(json_object_get(root, "format")), "havoc-summary")) {
    json_decref(root);
    SETERRQ(comm, PETSC_ERR_USER_INPUT, "%s: not a havoc run summary (expected format havoc-summary with a vessels array)", path);
  }
  PetscCall(PetscMalloc1(6 * mesh->nvessels, &st->owned));
  flow     = st->owned;
  pressure = flow + mesh->nvessels;
  velocity = pressure + mesh->nvessels;
  peak     = velocity + mesh->nvessels;
  p0       = peak + mesh->nvessels;
  pL       = p0 + mesh->nvessels;
  for (PetscInt i = 0; i < mesh->nvessels; i++)
    flow[i] = pressure[i] = velocity[i] = peak[i] = p0[i] = pL[i] = NAN;
  for (size_t k = 0; k < json_array_size(vessels); k++) {
    json_t     *v = json_array_get(vessels, k), *probes = json_object_get(v, "probes");
    const char *name = json_string_value(json_object_get(v, "name"));
    PetscInt    i;
    if (!name) continue;
    PetscCall(HavocMeshFindVessel(mesh, name, &i));
    if (i < 0) continue;
    flow[i]     = JsonNumber(v, "mean_flow_m3s");
    pressure[i] = JsonNumber(v, "mean_pressure_Pa");
    velocity[i] = JsonNumber(v, "mean_velocity_ms");
    peak[i]     = JsonNumber(v, "peak_centreline_velocity_ms");
    npeak += !PetscIsNanReal(peak[i]);
    /* the pressure at x = 0 and x = L: the probes at fractions 0 and 1, or the steady ends */
    p0[i] = JsonNumber(v, "steady_pressure_0_Pa");
    pL[i] = JsonNumber(v, "steady_pressure_L_Pa");
    for (size_t f = 0; f < json_array_size(probes); f++) {
      json_t *pr = json_array_get(probes, f);
      if (JsonNumber(pr, "fraction") == 0) p0[i] = JsonNumber(pr, "p_mean_Pa");
      if (JsonNumber(pr, "fraction") == 1) pL[i] = JsonNumber(pr, "p_mean_Pa");
    }
  }
  json_decref(root);
  PetscCall(PetscMalloc1(mesh->ninlets, &pk));
  st->p_in = InletPressures(mesh, p0, pL, pk);
  PetscCall(PetscFree(pk));
  HavocCheckUser(mesh->ninlets && !PetscIsInfOrNanReal(st->p_in), comm, "%s: no mean pressure at the inlets of %s: the run needs probes at the vessel ends (fractions 0 and 1) or a steady phase, and must be of this network", path, mesh->path);
  st->flow     = flow;
  st->pressure = pressure;
  st->velocity = velocity;
  st->peak     = npeak ? peak : NULL; /* a steady run has no peaks */
  PetscFunctionReturn(0);
}

PetscErrorCode HavocCheckStateDestroy(HavocCheckState *st)
{
  PetscFunctionBeginUser;
  PetscCall(PetscFree(st->owned));
  st->flow = st->pressure = st->velocity = st->peak = NULL;
  PetscFunctionReturn(0);
}
