/* havoc run CASE.yaml [-o DIR]: one case from its file to DIR/result.h5 and DIR/summary.json. */
#include "case.h"
#include "cli.h"
#include "hemo.h"
#include "io.h"
#include "options.h"
#include "probes.h"
#include "progress.h"

#include <errno.h>
#include <jansson.h>
#include <libgen.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

typedef struct {
  char      mesh[PETSC_MAX_PATH_LEN];
  char      out[PETSC_MAX_PATH_LEN];
  char      name[HAVOC_NAME_LEN];
  char      description[256];
  char      case_path[PETSC_MAX_PATH_LEN];
  PetscBool quiet;
  PetscReal field_dt;
} RunOptions;

/* Snapshots of every cell at -output_field_dt intervals (and always the final state). */
typedef struct {
  HavocResult result;
  PetscReal   dt, next, last; /* last: time of the last snapshot written */
  PetscInt   *offset, *count;
  PetscReal  *A, *Q, *p;
} Fields;

static PetscErrorCode FieldsWrite(Hemo h, Fields *f)
{
  PetscInt n = 0;

  PetscFunctionBeginUser;
  for (PetscInt i = 0; i < h->net->nvessels; i++) {
    const HavocVessel *v = &h->kv[i];
    for (PetscInt c = 0; c < v->M; c++, n++) {
      f->A[n] = v->A[c];
      f->Q[n] = v->Q[c];
      f->p[n] = v->pr[c] + v->K[c] * (PetscSqrtReal(v->A[c]) - v->sqrtAr[c]);
    }
  }
  PetscCall(HavocResultFieldsAppend(f->result, h->t, h->net->nvessels, f->offset, f->count, f->A, f->Q, f->p));
  f->last = h->t;
  PetscFunctionReturn(0);
}

static PetscErrorCode FieldsMonitor(Hemo h, void *ctx)
{
  Fields *f = (Fields *)ctx;

  PetscFunctionBeginUser;
  if (f->dt > 0 && h->t >= f->next * (1 - 1e-12)) {
    PetscCall(FieldsWrite(h, f));
    while (f->next <= h->t * (1 + 1e-12))
      f->next += f->dt;
  }
  PetscFunctionReturn(0);
}

static PetscErrorCode MkdirP(MPI_Comm comm, const char dir[])
{
  PetscMPIInt rank;
  int         err = 0;

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  if (!rank) {
    char buf[PETSC_MAX_PATH_LEN];
    PetscCall(PetscStrncpy(buf, dir, sizeof(buf)));
    for (char *s = buf + 1; *s && !err; s++)
      if (*s == '/') {
        *s = 0;
        if (mkdir(buf, 0777) && errno != EEXIST) err = errno;
        *s = '/';
      }
    if (!err && mkdir(buf, 0777) && errno != EEXIST) err = errno;
  }
  PetscCallMPI(MPI_Bcast(&err, 1, MPI_INT, 0, comm));
  PetscCheck(!err, comm, PETSC_ERR_FILE_OPEN, "cannot create output directory '%s': %s", dir, strerror(err));
  PetscFunctionReturn(0);
}

static PetscErrorCode RunSetFromOptions(MPI_Comm comm, RunOptions *o)
{
  PetscFunctionBeginUser;
  PetscOptionsBegin(comm, NULL, "havoc run", NULL);
  PetscCall(PetscOptionsString("-mesh", "network file (in a case file, relative to the case file)", NULL, o->mesh, o->mesh, sizeof(o->mesh), NULL));
  PetscCall(PetscOptionsString("-o", "output directory (default results/<case name>)", NULL, o->out, o->out, sizeof(o->out), NULL));
  PetscCall(PetscOptionsString("-case_name", "name of the case in outputs (default: the case file's name)", NULL, o->name, o->name, sizeof(o->name), NULL));
  PetscCall(PetscOptionsString("-case_description", "free text, kept in summary.json", NULL, o->description, o->description, sizeof(o->description), NULL));
  PetscCall(PetscOptionsBool("-quiet", "no progress line on stderr", NULL, o->quiet, &o->quiet, NULL));
  PetscCall(HavocOptionsQuantity("-output_field_dt", "time between snapshots of every cell (0: the final state only)", "s", o->field_dt, &o->field_dt, NULL, 0, PETSC_MAX_REAL));
  PetscOptionsEnd();
  PetscFunctionReturn(0);
}

static json_t *JsonReal(PetscReal x)
{
  return PetscIsInfOrNanReal(x) ? json_null() : json_real((double)x);
}

/* summary.json: the key figures of the run, keyed by vessel name. Rank 0 only. */
static PetscErrorCode WriteSummary(Hemo h, HemoProbes probes, const RunOptions *o, const PetscReal *stats, const PetscInt *load, PetscReal wall, PetscReal vin, PetscReal vout, PetscReal dvol, const char path[])
{
  HavocMesh        mesh = h->mesh;
  json_t          *root = json_object(), *run = json_object(), *per = json_object(), *mass = json_object(), *vessels = json_array();
  PetscInt         cycles, nfrac;
  PetscBool        reached;
  PetscReal        change, t_stop;
  const PetscReal *frac;
  PetscMPIInt      size;
  char             date[64];

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_size(h->comm, &size));
  PetscCall(PetscGetDate(date, sizeof(date)));
  PetscCall(HemoProbesGetPeriodic(probes, &cycles, &reached, &change));
  PetscCall(HemoProbesGetFractions(probes, &nfrac, &frac));
  PetscCall(HemoGetStopTime(h, &t_stop));
  json_object_set_new(root, "format", json_string("havoc-summary"));
  json_object_set_new(root, "format_version", json_integer(1));
  json_object_set_new(root, "case", json_string(o->name));
  json_object_set_new(root, "description", json_string(o->description));
  json_object_set_new(root, "case_file", json_string(o->case_path));
  json_object_set_new(root, "mesh", json_string(mesh->path));
  json_object_set_new(root, "version", json_string(HAVOC_VERSION " (" HAVOC_GITREV ")"));
  json_object_set_new(root, "created", json_string(date));
  json_object_set_new(root, "ranks", json_integer(size));
  json_object_set_new(root, "wall_time_s", JsonReal(wall));
  json_object_set_new(run, "end_time_s", JsonReal(h->t));
  json_object_set_new(run, "steps", json_integer(h->step));
  json_object_set_new(run, "last_dt_s", JsonReal(h->dt));
  json_object_set_new(run, "cells", json_integer(h->net->ncells_total));
  {
    /* the partition: how evenly the ranks share the work */
    json_t *vessels = json_array(), *cells = json_array();
    for (PetscMPIInt r = 0; r < size; r++) {
      json_array_append_new(vessels, json_integer(load[2 * r]));
      json_array_append_new(cells, json_integer(load[2 * r + 1]));
    }
    json_object_set_new(run, "vessels_per_rank", vessels);
    json_object_set_new(run, "cells_per_rank", cells);
  }
  json_object_set_new(root, "run", run);
  json_object_set_new(per, "period_s", JsonReal(h->inlet->period));
  json_object_set_new(per, "cycles", json_integer(cycles));
  json_object_set_new(per, "reached", json_boolean(reached));
  json_object_set_new(per, "last_change_Pa", JsonReal(change));
  json_object_set_new(root, "periodic", per);
  json_object_set_new(mass, "inflow_m3", JsonReal(vin));
  json_object_set_new(mass, "outflow_m3", JsonReal(vout));
  json_object_set_new(mass, "volume_change_m3", JsonReal(dvol));
  json_object_set_new(mass, "balance_rel_error", JsonReal(PetscAbsReal(vin - vout - dvol) / PetscMax(PetscMax(PetscAbsReal(vin), PetscAbsReal(vout)), PETSC_SMALL)));
  json_object_set_new(root, "mass_balance", mass);
  for (PetscInt i = 0; i < mesh->nvessels; i++) {
    json_t          *v = json_object(), *pa = json_array();
    const PetscReal *mid;
    PetscInt         fmid = 0;
    /* the vessel's figures are those of the probe nearest its midpoint */
    for (PetscInt f = 1; f < nfrac; f++)
      if (PetscAbsReal(frac[f] - 0.5) < PetscAbsReal(frac[fmid] - 0.5)) fmid = f;
    mid = &stats[(i * nfrac + fmid) * PROBE_NSTAT];
    json_object_set_new(v, "name", json_string(mesh->vessels[i].name));
    json_object_set_new(v, "cells", json_integer(h->net->vessel_cells[i]));
    json_object_set_new(v, "mean_flow_m3s", JsonReal(mid[PROBE_MEAN_Q]));
    json_object_set_new(v, "mean_pressure_Pa", JsonReal(mid[PROBE_MEAN_P]));
    json_object_set_new(v, "mean_velocity_ms", JsonReal(mid[PROBE_MEAN_U]));
    for (PetscInt f = 0; f < nfrac; f++) {
      const PetscReal *s  = &stats[(i * nfrac + f) * PROBE_NSTAT];
      json_t          *pr = json_object();
      json_object_set_new(pr, "fraction", JsonReal(frac[f]));
      json_object_set_new(pr, "p_mean_Pa", JsonReal(s[PROBE_MEAN_P]));
      json_object_set_new(pr, "p_min_Pa", JsonReal(s[PROBE_MIN_P]));
      json_object_set_new(pr, "p_max_Pa", JsonReal(s[PROBE_MAX_P]));
      json_object_set_new(pr, "q_mean_m3s", JsonReal(s[PROBE_MEAN_Q]));
      json_object_set_new(pr, "q_min_m3s", JsonReal(s[PROBE_MIN_Q]));
      json_object_set_new(pr, "q_max_m3s", JsonReal(s[PROBE_MAX_Q]));
      json_object_set_new(pr, "u_mean_ms", JsonReal(s[PROBE_MEAN_U]));
      json_array_append_new(pa, pr);
    }
    json_object_set_new(v, "probes", pa);
    json_array_append_new(vessels, v);
  }
  json_object_set_new(root, "statistics_over", json_string(cycles ? "the last complete cycle" : "the whole run"));
  json_object_set_new(root, "vessels", vessels);
  if (json_dump_file(root, path, JSON_INDENT(2) | JSON_REAL_PRECISION(12))) {
    json_decref(root);
    SETERRQ(PETSC_COMM_SELF, PETSC_ERR_FILE_WRITE, "cannot write %s", path);
  }
  json_decref(root);
  PetscFunctionReturn(0);
}

/* Everything that writes to the temporary files; on failure the caller removes them. */
static PetscErrorCode Run(MPI_Comm comm, Hemo h, HemoProbes probes, const RunOptions *o, const char tmp_h5[], const char tmp_json[])
{
  HavocResult    result;
  HavocProgress  progress;
  Fields         fields;
  PetscLogDouble t0, t1;
  PetscReal      v0, v1, vin, vout, *stats, *dx;
  PetscMPIInt    rank;
  char          *options;

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  PetscCall(HavocResultCreate(comm, tmp_h5, &result));
  PetscCall(HavocResultSetAttribute(result, "format", "havoc-result 1"));
  PetscCall(HavocResultSetAttribute(result, "havoc_version", HAVOC_VERSION " (" HAVOC_GITREV ")"));
  PetscCall(HavocResultSetAttribute(result, "case", o->name));
  PetscCall(HavocResultSetAttribute(result, "case_file", o->case_path));
  PetscCall(PetscOptionsGetAll(NULL, &options));
  PetscCall(HavocResultSetAttribute(result, "options", options));
  PetscCall(PetscFree(options));
  PetscCall(PetscMalloc1(h->mesh->nvessels, &dx));
  for (PetscInt i = 0; i < h->mesh->nvessels; i++)
    dx[i] = h->mesh->vessels[i].length / h->net->vessel_cells[i];
  PetscCall(HavocResultWriteNetwork(result, h->mesh, h->net->vessel_cells, h->net->cell_offsets, dx));
  PetscCall(PetscFree(dx));

  PetscCall(HemoProbesSetUp(probes, result));

  fields.result = result;
  fields.dt     = o->field_dt;
  fields.next   = o->field_dt;
  fields.last   = -1;
  PetscCall(PetscMalloc5(h->net->nvessels, &fields.offset, h->net->nvessels, &fields.count, h->net->ncells_local, &fields.A, h->net->ncells_local, &fields.Q, h->net->ncells_local, &fields.p));
  for (PetscInt i = 0; i < h->net->nvessels; i++) {
    fields.offset[i] = h->net->vessels[i].cell_offset;
    fields.count[i]  = h->net->vessels[i].ncells;
  }
  PetscCall(HavocResultFieldsCreate(result, h->net->ncells_total));
  if (o->field_dt > 0) PetscCall(FieldsWrite(h, &fields));
  PetscCall(HemoMonitorAdd(h, FieldsMonitor, &fields));
  PetscCall(HavocProgressStart(&progress, h, o->quiet));
  PetscCall(HemoMonitorAdd(h, HavocProgressMonitor, &progress));

  PetscCall(HemoGetVolume(h, &v0));
  PetscCall(PetscTime(&t0));
  PetscCall(HemoSolve(h));
  PetscCall(PetscTime(&t1));
  PetscCall(HavocProgressEnd(&progress));
  PetscCall(HemoProbesFinish(probes));
  if (fields.last != h->t) PetscCall(FieldsWrite(h, &fields));
  PetscCall(HemoGetVolume(h, &v1));
  PetscCall(HemoGetBoundaryVolumes(h, &vin, &vout));
  PetscCall(HemoProbesGetStats(probes, &stats));
  {
    PetscMPIInt size;
    PetscInt    mine[2] = {h->net->nvessels, h->net->ncells_local}, *load = NULL;
    PetscCallMPI(MPI_Comm_size(comm, &size));
    if (!rank) PetscCall(PetscMalloc1(2 * size, &load));
    PetscCallMPI(MPI_Gather(mine, 2, MPIU_INT, load, 2, MPIU_INT, 0, comm));
    if (!rank) PetscCall(WriteSummary(h, probes, o, stats, load, (PetscReal)(t1 - t0), vin, vout, v1 - v0, tmp_json));
    PetscCall(PetscFree(load));
  }
  PetscCall(PetscFree(stats));
  PetscCall(HavocResultClose(&result));
  PetscCall(PetscFree5(fields.offset, fields.count, fields.A, fields.Q, fields.p));
  {
    PetscInt  cycles;
    PetscBool reached;
    PetscReal change;
    PetscCall(HemoProbesGetPeriodic(probes, &cycles, &reached, &change));
    PetscCall(PetscPrintf(comm, "havoc: %s: t = %.4g s in %" PetscInt_FMT " steps, %.3g s wall", o->name, (double)h->t, h->step, (double)(t1 - t0)));
    if (h->inlet->period > 0) PetscCall(PetscPrintf(comm, "; %" PetscInt_FMT " cycles, %s (last cycle-to-cycle change %.3g Pa)", cycles, reached ? "periodic" : "not yet periodic", (double)change));
    PetscCall(PetscPrintf(comm, "\n"));
  }
  PetscFunctionReturn(0);
}

PetscErrorCode HavocCmdRun(MPI_Comm comm, const HavocArgs *args)
{
  RunOptions     o;
  HavocMesh      mesh = NULL;
  Hemo           h;
  HemoProbes     probes;
  PetscBool      help;
  PetscMPIInt    rank;
  PetscErrorCode ierr;
  char           h5[PETSC_MAX_PATH_LEN], json[PETSC_MAX_PATH_LEN], tmp_h5[PETSC_MAX_PATH_LEN], tmp_json[PETSC_MAX_PATH_LEN];

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  PetscCall(PetscMemzero(&o, sizeof(o)));
  PetscCall(PetscOptionsHasHelp(NULL, &help));
  HavocCheckUser(args->npos <= 1, comm, "havoc run takes one case file, got %d arguments (options go after it: havoc run CASE.yaml -o DIR)", args->npos);
  HavocCheckUser(args->npos == 1 || help, comm, "usage: havoc run CASE.yaml [-o DIR] [options]; havoc run -help lists the options");
  if (args->npos) {
    char copy[PETSC_MAX_PATH_LEN], *dot;
    PetscCall(HavocCaseLoad(comm, args->pos[0]));
    PetscCall(PetscStrncpy(o.case_path, args->pos[0], sizeof(o.case_path)));
    PetscCall(PetscStrncpy(copy, args->pos[0], sizeof(copy)));
    PetscCall(PetscStrncpy(o.name, basename(copy), sizeof(o.name)));
    dot = strrchr(o.name, '.');
    if (dot && dot != o.name) *dot = 0;
  }
  PetscCall(RunSetFromOptions(comm, &o));
  HavocCheckUser(o.mesh[0] || help, comm, "%s: no network: set 'mesh: FILE' in the case file or give -mesh FILE", o.case_path);
  if (!help) PetscCall(HavocMeshRead(comm, o.mesh, &mesh));
  PetscCall(HemoCreate(comm, &h));
  PetscCall(HemoSetFromOptions(h));
  PetscCall(HemoProbesCreate(h, &probes));
  PetscCall(HemoProbesSetFromOptions(probes));
  if (help) {
    PetscCall(HemoProbesDestroy(&probes));
    PetscCall(HemoDestroy(&h));
    PetscFunctionReturn(0);
  }
  PetscCall(HemoSetMesh(h, mesh));
  PetscCall(HemoSetUp(h));
  PetscCall(HavocOptionsCheckUnused(comm));

  if (!o.out[0]) PetscCall(PetscSNPrintf(o.out, sizeof(o.out), "results/%s", o.name));
  PetscCall(MkdirP(comm, o.out));
  PetscCall(PetscSNPrintf(h5, sizeof(h5), "%s/result.h5", o.out));
  PetscCall(PetscSNPrintf(json, sizeof(json), "%s/summary.json", o.out));
  PetscCall(HavocTempPath(comm, h5, tmp_h5, sizeof(tmp_h5)));
  PetscCall(HavocTempPath(comm, json, tmp_json, sizeof(tmp_json)));
  ierr = Run(comm, h, probes, &o, tmp_h5, tmp_json);
  if (ierr) {
    /* a failed run leaves no half-written result behind */
    if (!rank) {
      (void)unlink(tmp_h5);
      (void)unlink(tmp_json);
    }
    return ierr;
  }
  PetscCall(HavocCommitPath(comm, tmp_h5, h5));
  PetscCall(HavocCommitPath(comm, tmp_json, json));
  PetscCall(PetscPrintf(comm, "havoc: results in %s/ (result.h5, summary.json)\n", o.out));
  PetscCall(HemoProbesDestroy(&probes));
  PetscCall(HemoDestroy(&h));
  PetscCall(HavocMeshDestroy(&mesh));
  PetscFunctionReturn(0);
}
