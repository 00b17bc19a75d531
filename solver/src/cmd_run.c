/* havoc run CASE.yaml [-o DIR]: one case from its file to DIR/result.h5 and DIR/summary.json. */
#include "bolus.h"
#include "tissue.h"
#include "treatment.h"
#include "case.h"
#include "checkpoint.h"
#include "cli.h"
#include "hemo.h"
#include "io.h"
#include "post.h"
#include "options.h"
#include "probes.h"
#include "progress.h"
#include "steady.h"

#include <errno.h>
#include <jansson.h>
#include <libgen.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
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
  PetscBool pulsatile, steady; /* the phases to run, in this order */
  /* checkpoints (checkpoint.h) */
  PetscReal           ck_interval; /* wall time between checkpoints [s]; 0: only at a signal */
  PetscBool           ck_keep;     /* keep the last checkpoint when the run succeeds */
  PetscBool           ck_chronic;  /* a checkpoint at the end of the flow phases (-checkpoint_interval, or the tissue) */
  PetscBool           restart;     /* continue from the checkpoint in restart_dir, described by ck */
  char                restart_dir[PETSC_MAX_PATH_LEN];
  HavocCheckpointInfo ck; /* the manifest of this run's checkpoints */
} RunOptions;

/* What the phases produced, for summary.json (rank 0) and the closing line. */
typedef struct {
  PetscReal        wall_pulsatile, wall_steady;
  PetscReal        vin, vout, dvol;
  PetscReal       *stats;          /* pulsatile probe statistics, rank 0 */
  PetscInt        *load;           /* vessels and cells per rank, rank 0 */
  const PetscReal *sQ, *sp0, *spL; /* steady solution, every rank */
  PetscReal       *base_q;         /* healthy steady flows (with a bolus), every rank */
  PetscReal       *sA;             /* steady lumen at the midpoint of every vessel */
  PetscInt         s_its;
} RunResults;

/* Snapshots of every cell at -output_field_dt intervals (and always the final state). */
typedef struct {
  HavocResult      result;
  PetscReal        dt, next, last; /* last: time of the last snapshot written */
  PetscInt        *offset, *count;
  const PetscReal *data[5];                /* the fields written, in order: A, Q, p, gel (with a bolus), flow_fraction (with a healthy baseline) */
  PetscReal       *A, *Q, *p, *gel, *frac; /* gel: the fraction of each cell's length under gel */
  Bolus            bolus;                  /* or NULL */
  const PetscReal *base_q;                 /* healthy steady flow of every vessel (mesh order), or NULL */
} Fields;

static PetscErrorCode FieldsWrite(Hemo h, Fields *f)
{
  PetscInt n = 0;

  PetscFunctionBeginUser;
  for (PetscInt i = 0; i < h->net->nvessels; i++) {
    const HavocVessel *v = &h->kv[i];
    for (PetscInt c = 0; c < v->M; c++, n++) {
      f->A[n]   = v->A[c];
      f->Q[n]   = v->Q[c];
      f->p[n]   = HemoCellPressure(h, i, c);
      f->gel[n] = 0;
      if (f->base_q) f->frac[n] = f->base_q[h->net->vessels[i].vessel] != 0 ? v->Q[c] / f->base_q[h->net->vessels[i].vessel] : 0;
    }
  }
  if (f->bolus) {
    PetscInt         ns;
    const HavocSlug *sl;
    PetscCall(BolusGetSlugs(f->bolus, &ns, &sl));
    n = 0;
    for (PetscInt i = 0; i < h->net->nvessels; i++) {
      const PetscReal dx = h->net->vessels[i].dx;
      for (PetscInt k = 0; k < ns; k++)
        if (sl[k].vessel == h->net->vessels[i].vessel)
          for (PetscInt c = 0; c < h->net->vessels[i].ncells; c++)
            f->gel[n + c] += PetscMax(0, PetscMin(sl[k].xb, (c + 1) * dx) - PetscMax(sl[k].xa, c * dx)) / dx;
      n += h->net->vessels[i].ncells;
    }
    for (PetscInt c = 0; c < n; c++)
      f->gel[c] = PetscMin(f->gel[c], 1);
  }
  PetscCall(HavocResultFieldsAppend(f->result, h->t, h->net->nvessels, f->offset, f->count, f->data));
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
  PetscCall(HavocOptionsQuantity("-checkpoint_interval", "wall time between checkpoints in DIR/checkpoint, in the flow phases and the tissue phase, and one at the end of the flow phases (0: only when SIGTERM or SIGINT stops the run, and at the end of the flow phases of a run with the tissue); havoc run --restart DIR continues", "s", o->ck_interval, &o->ck_interval, NULL, 0, PETSC_MAX_REAL));
  PetscCall(PetscOptionsBool("-checkpoint_keep", "keep the last checkpoint when the run succeeds (default: removed)", NULL, o->ck_keep, &o->ck_keep, NULL));
  {
    char phases[128] = "pulsatile", *tok, *save = NULL;
    PetscCall(PetscOptionsString("-run_phases", "what to solve, in order: pulsatile (to -hemo_t_end or the periodic state), steady (the cycle-averaged network), or pulsatile,steady", NULL, phases, phases, sizeof(phases), NULL));
    o->pulsatile = o->steady = PETSC_FALSE;
    for (tok = strtok_r(phases, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
      if (!strcmp(tok, "pulsatile")) {
        HavocCheckUser(!o->steady, comm, "option -run_phases: pulsatile must come before steady");
        o->pulsatile = PETSC_TRUE;
      } else if (!strcmp(tok, "steady")) o->steady = PETSC_TRUE;
      else SETERRQ(comm, PETSC_ERR_USER_INPUT, "option -run_phases: unknown phase '%s' (expected pulsatile, steady or pulsatile,steady)", tok);
    }
    HavocCheckUser(o->pulsatile || o->steady, comm, "option -run_phases: give at least one phase (pulsatile, steady)");
  }
  PetscOptionsEnd();
  PetscFunctionReturn(0);
}

/* The total mean inflow through the inlets of a run: a flow inlet's waveform mean times its scale, or the
   steady solution's flow out of the inlet vessels. */
static PetscReal TotalInflow(Hemo h, const RunResults *res)
{
  HavocMesh mesh  = h->mesh;
  PetscReal total = 0;

  for (PetscInt k = 0; k < mesh->ninlets; k++) {
    const PetscInt n = mesh->inlets[k].node;
    if (!h->inlet_pressure) total += mesh->inlets[k].scale * h->inlet->mean;
    else if (res->sQ)
      for (PetscInt i = 0; i < mesh->nvessels; i++) {
        if (mesh->vessels[i].from == n) total += res->sQ[i];
        if (mesh->vessels[i].to == n) total -= res->sQ[i];
      }
  }
  return PetscAbsReal(total);
}

/* Follows the healthy flow upstream from a terminal vessel to the inlet, through the vessel that brings the
   most flow into each node, and tells whether a vessel on that path holds gel. */
static PetscBool SupplyBlocked(HavocMesh mesh, const PetscReal base_q[], const PetscBool gel[], PetscInt vessel)
{
  PetscInt v = vessel, steps = 0;

  while (v >= 0 && steps++ < mesh->nvessels) {
    const HavocMeshVessel *mv    = &mesh->vessels[v];
    const PetscInt         up    = base_q[v] >= 0 ? mv->from : mv->to; /* where its healthy flow comes from */
    PetscInt               best  = -1;
    PetscReal              qbest = 0;
    if (gel[v]) return PETSC_TRUE;
    if (mesh->nodes[up].inlet >= 0) break;
    for (PetscInt i = 0; i < mesh->nvessels; i++) {
      const PetscReal in = mesh->vessels[i].to == up ? base_q[i] : mesh->vessels[i].from == up ? -base_q[i]
                                                                                               : 0;
      if (i != v && in > qbest) {
        qbest = in;
        best  = i;
      }
    }
    v = best;
  }
  return PETSC_FALSE;
}

/* The bolus object of summary.json (docs/formats.md). */
static PetscErrorCode BolusSummary(Hemo h, Bolus b, const RunResults *res, json_t *root)
{
  HavocMesh        mesh = h->mesh;
  json_t          *jb = json_object(), *lodged = json_array(), *beds = json_array(), *terms = json_array(), *tip = json_object(), *prod = json_object();
  BolusInfo        info;
  const HavocSlug *slugs;
  const PetscReal *bed, *cap;
  PetscInt         ns;
  PetscReal        inj, in_slugs, in_beds, dissolved;
  PetscBool       *gel;
  PetscBool        oa = PETSC_FALSE, cra = PETSC_FALSE;

  PetscFunctionBeginUser;
  PetscCall(BolusGetInfo(b, &info));
  PetscCall(BolusGetSlugs(b, &ns, &slugs));
  PetscCall(BolusGetVolumes(b, &inj, &in_slugs, &in_beds));
  PetscCall(BolusGetBeds(b, &bed, &cap));
  json_object_set_new(prod, "name", json_string(info.filler.name));
  json_object_set_new(prod, "label", json_string(info.filler.label));
  json_object_set_new(prod, "ha_concentration_kgm3", HavocJsonReal(info.filler.c_ha));
  json_object_set_new(prod, "storage_modulus_Pa", HavocJsonReal(info.filler.G));
  json_object_set_new(prod, "yield_stress_Pa", HavocJsonReal(info.filler.tau_y));
  json_object_set_new(prod, "viscosity_Pas", HavocJsonReal(info.filler.mu_gel));
  json_object_set_new(prod, "fragment_size_m", HavocJsonReal(info.filler.fragment));
  json_object_set_new(prod, "permeability_m2", HavocJsonReal(info.filler.k));
  json_object_set_new(jb, "product", prod);
  json_object_set_new(tip, "extravascular", json_boolean(info.extravascular));
  json_object_set_new(tip, "vessel", info.tip_vessel >= 0 ? json_string(mesh->vessels[info.tip_vessel].name) : json_null());
  json_object_set_new(tip, "position_m", info.tip_vessel >= 0 ? HavocJsonReal(info.tip_x) : json_null());
  json_object_set_new(tip, "snap_distance_m", HavocJsonReal(info.snap_distance));
  json_object_set_new(jb, "tip", tip);
  json_object_set_new(jb, "requested_volume_m3", HavocJsonReal(info.requested));
  json_object_set_new(jb, "injected_volume_m3", HavocJsonReal(inj));
  json_object_set_new(jb, "injection_complete", json_boolean(info.complete));
  json_object_set_new(jb, "injection_time_s", HavocJsonReal(info.injection_time));
  json_object_set_new(jb, "peak_tip_pressure_Pa", HavocJsonReal(info.peak_tip_pressure));
  json_object_set_new(jb, "in_slugs_volume_m3", HavocJsonReal(in_slugs));
  json_object_set_new(jb, "delivered_volume_m3", HavocJsonReal(in_beds));
  PetscCall(BolusGetDissolved(b, &dissolved));
  json_object_set_new(jb, "dissolved_volume_m3", HavocJsonReal(dissolved));
  json_object_set_new(jb, "volume_balance_rel_error", HavocJsonReal(inj > 0 ? PetscAbsReal(inj - in_slugs - in_beds - dissolved) / inj : 0));
  json_object_set_new(jb, "acute_start_s", HavocJsonReal(info.t_start));
  json_object_set_new(jb, "acute_end_s", HavocJsonReal(info.t_end));
  json_object_set_new(jb, "settled", json_boolean(info.settled));
  PetscCall(PetscCalloc1(mesh->nvessels, &gel));
  for (PetscInt k = 0; k < ns; k++) {
    json_t *l            = json_object();
    gel[slugs[k].vessel] = PETSC_TRUE;
    json_object_set_new(l, "id", json_integer(slugs[k].id));
    json_object_set_new(l, "vessel", json_string(mesh->vessels[slugs[k].vessel].name));
    json_object_set_new(l, "position_m", HavocJsonReal(0.5 * (slugs[k].xa + slugs[k].xb)));
    json_object_set_new(l, "from_m", HavocJsonReal(slugs[k].xa));
    json_object_set_new(l, "to_m", HavocJsonReal(slugs[k].xb));
    json_object_set_new(l, "volume_m3", HavocJsonReal(slugs[k].V));
    json_object_set_new(l, "state", json_string(HavocSlugStates[slugs[k].state]));
    json_object_set_new(l, "lodged_by", json_string(HavocLodgeReasons[slugs[k].reason]));
    json_array_append_new(lodged, l);
  }
  json_object_set_new(jb, "lodged", lodged);
  for (PetscInt i = 0; i < mesh->nvessels; i++) {
    const HavocMeshVessel *mv = &mesh->vessels[i];
    json_t                *t;
    if (mv->outlet_type < 0) continue;
    if (bed[i] > 0) {
      json_t *e = json_object();
      json_object_set_new(e, "vessel", json_string(mv->name));
      json_object_set_new(e, "territory", json_string(mv->territory));
      json_object_set_new(e, "volume_m3", HavocJsonReal(bed[i]));
      json_object_set_new(e, "capillary_volume_m3", HavocJsonReal(cap[i]));
      json_array_append_new(beds, e);
    }
    t = json_object();
    json_object_set_new(t, "vessel", json_string(mv->name));
    json_object_set_new(t, "territory", json_string(mv->territory));
    json_object_set_new(t, "baseline_flow_m3s", HavocJsonReal(res->base_q[i]));
    json_object_set_new(t, "flow_m3s", res->sQ ? HavocJsonReal(res->sQ[i]) : json_null());
    json_object_set_new(t, "flow_fraction", res->sQ && res->base_q[i] != 0 ? HavocJsonReal(res->sQ[i] / res->base_q[i]) : json_null());
    json_object_set_new(t, "gel_in_bed_m3", HavocJsonReal(bed[i]));
    {
      /* a terminal whose healthy supply path holds gel but that still gets blood is fed by collaterals */
      const PetscBool blocked = SupplyBlocked(mesh, res->base_q, gel, i);
      json_object_set_new(t, "supply_blocked", json_boolean(blocked));
      json_object_set_new(t, "collateral_flow_m3s", blocked && res->sQ ? HavocJsonReal(PetscAbsReal(res->sQ[i])) : json_null());
    }
    json_array_append_new(terms, t);
  }
  json_object_set_new(jb, "terminal_beds", beds);
  json_object_set_new(jb, "terminals", terms);
  {
    json_t *reached = json_array();
    for (PetscInt i = 0; i < mesh->nvessels; i++) {
      PetscBool r;
      PetscCall(BolusReached(b, i, &r));
      if (!r) continue;
      json_array_append_new(reached, json_string(mesh->vessels[i].name));
      if (!strncmp(mesh->vessels[i].name, "ophthalmic_1", 12)) oa = PETSC_TRUE;
      if (!strncmp(mesh->vessels[i].name, "central_retinal", 15)) cra = PETSC_TRUE;
    }
    json_object_set_new(jb, "reached_vessels", reached);
  }
  json_object_set_new(jb, "reached_ophthalmic", json_boolean(oa));
  json_object_set_new(jb, "reached_central_retinal", json_boolean(cra));
  {
    json_t *pr = json_object();
    json_object_set_new(pr, "vessel", info.proximal_vessel >= 0 ? json_string(mesh->vessels[info.proximal_vessel].name) : json_null());
    json_object_set_new(pr, "position_m", info.proximal_vessel >= 0 ? HavocJsonReal(info.proximal_x) : json_null());
    json_object_set_new(pr, "baseline_pressure_Pa", info.proximal_vessel >= 0 ? HavocJsonReal(info.proximal_pressure) : json_null());
    json_object_set_new(jb, "most_proximal_reach", pr);
  }
  PetscCall(PetscFree(gel));
  json_object_set_new(root, "bolus", jb);
  PetscFunctionReturn(0);
}

/* summary.json: the key figures of the run, keyed by vessel name. Rank 0 only. */
/* The tissue object of summary.json: per territory the zones' areas at the report times, the first
   necrosis and half necrosis; and the retina of either eye. */
static PetscErrorCode TissueSummary(HavocMesh mesh, Tissue tissue, json_t *root)
{
  PetscInt                     nrep;
  const PetscReal             *times;
  const TissueTerritoryReport *rep;
  json_t                      *jt = json_object(), *terr = json_array(), *jr = json_object(), *jtimes = json_array();
  PetscReal                    dx, origin[2];
  DM                           da;
  PetscInt                     mx, my;

  PetscFunctionBeginUser;
  PetscCall(TissueGetReports(tissue, &nrep, &times, &rep));
  PetscCall(TissueGetMap(tissue, &da, &dx, origin));
  PetscCall(DMDAGetInfo(da, NULL, &mx, &my, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL));
  for (PetscInt k = 0; k < nrep; k++)
    json_array_append_new(jtimes, HavocJsonReal(times[k]));
  json_object_set_new(jt, "report_times_s", jtimes);
  json_object_set_new(jt, "map", json_pack("{s:o,s:[i,i],s:[o,o]}", "dx_m", HavocJsonReal(dx), "cells", (int)mx, (int)my, "origin_m", HavocJsonReal(origin[0]), HavocJsonReal(origin[1])));
  for (PetscInt r = 0; r < mesh->nterritories; r++) {
    const TissueTerritoryReport *rp = &rep[r];
    json_t                      *o = json_object(), *isc = json_array(), *risk = json_array(), *nec = json_array();
    json_object_set_new(o, "territory", json_string(mesh->territories[r].name));
    json_object_set_new(o, "tissue", json_string(HavocTissueNames[mesh->territories[r].tissue]));
    json_object_set_new(o, "on_map", json_boolean(!rp->compartment));
    json_object_set_new(o, "area_cm2", HavocJsonReal(rp->area * 1e4));
    json_object_set_new(o, "perfusion_ratio", HavocJsonReal(rp->ratio));
    for (PetscInt k = 0; k < nrep; k++) {
      json_array_append_new(isc, HavocJsonReal(rp->compartment ? rp->ischemic[k] : rp->ischemic[k] * 1e4));
      json_array_append_new(risk, HavocJsonReal(rp->compartment ? rp->at_risk[k] : rp->at_risk[k] * 1e4));
      json_array_append_new(nec, HavocJsonReal(rp->compartment ? rp->necrotic[k] : rp->necrotic[k] * 1e4));
    }
    json_object_set_new(o, rp->compartment ? "ischemic" : "ischemic_cm2", isc);
    json_object_set_new(o, rp->compartment ? "at_risk" : "at_risk_cm2", risk);
    json_object_set_new(o, rp->compartment ? "necrotic" : "necrotic_cm2", nec);
    json_object_set_new(o, "first_necrosis_s", rp->first_necrosis >= 0 ? HavocJsonReal(rp->first_necrosis) : json_null());
    json_object_set_new(o, "half_necrosis_s", rp->half_necrosis >= 0 ? HavocJsonReal(rp->half_necrosis) : json_null());
    json_array_append_new(terr, o);
    if (mesh->territories[r].tissue == HAVOC_TISSUE_RETINA) {
      const char     *state    = TissueCompartmentState(tissue, r);
      const PetscBool perfused = (PetscBool)!strcmp(state, "perfused");
      json_object_set_new(jr, mesh->territories[r].name, json_pack("{s:s,s:o,s:o,s:o}", "state", state, "ischemic_minutes", HavocJsonReal(perfused ? 0 : times[nrep - 1] / 60), "infarcted_after_minutes", rp->first_necrosis >= 0 ? HavocJsonReal(rp->first_necrosis / 60) : json_null(), "perfusion_ratio", HavocJsonReal(rp->ratio)));
    }
  }
  json_object_set_new(jt, "territories", terr);
  json_object_set_new(root, "tissue", jt);
  json_object_set_new(root, "retina", jr);
  PetscFunctionReturn(0);
}

static PetscErrorCode WriteSummary(Hemo h, HemoProbes probes, Bolus bolus, Tissue tissue, Treatment treatment, const RunOptions *o, const RunResults *res, const char path[])
{
  HavocMesh        mesh = h->mesh;
  json_t          *root = json_object(), *vessels = json_array(), *phases = json_array();
  PetscInt         nfrac = 0, fmid = 0;
  const PetscReal *frac = NULL;
  PetscMPIInt      size;
  char             date[64];

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_size(h->comm, &size));
  PetscCall(PetscGetDate(date, sizeof(date)));
  json_object_set_new(root, "format", json_string("havoc-summary"));
  json_object_set_new(root, "format_version", json_integer(1));
  json_object_set_new(root, "case", json_string(o->name));
  json_object_set_new(root, "description", json_string(o->description));
  json_object_set_new(root, "case_file", json_string(o->case_path));
  json_object_set_new(root, "mesh", json_string(mesh->path));
  json_object_set_new(root, "version", json_string(HAVOC_VERSION " (" HAVOC_GITREV ")"));
  json_object_set_new(root, "created", json_string(date));
  json_object_set_new(root, "ranks", json_integer(size));
  json_object_set_new(root, "wall_time_s", HavocJsonReal(res->wall_pulsatile + res->wall_steady));
  if (o->pulsatile) json_array_append_new(phases, json_string("pulsatile"));
  if (o->steady) json_array_append_new(phases, json_string("steady"));
  json_object_set_new(root, "phases", phases);
  {
    json_t *run = json_object(), *vpr = json_array(), *cpr = json_array();
    json_object_set_new(run, "end_time_s", HavocJsonReal(h->t));
    json_object_set_new(run, "steps", json_integer(h->step));
    json_object_set_new(run, "last_dt_s", HavocJsonReal(h->dt));
    json_object_set_new(run, "cells", json_integer(h->net->ncells_total));
    /* the partition: how evenly the ranks share the work */
    for (PetscMPIInt r = 0; r < size; r++) {
      json_array_append_new(vpr, json_integer(res->load[2 * r]));
      json_array_append_new(cpr, json_integer(res->load[2 * r + 1]));
    }
    json_object_set_new(run, "vessels_per_rank", vpr);
    json_object_set_new(run, "cells_per_rank", cpr);
    json_object_set_new(root, "run", run);
  }
  if (o->pulsatile) {
    json_t   *per = json_object(), *mass = json_object();
    PetscInt  cycles;
    PetscBool reached;
    PetscReal change;
    PetscCall(HemoProbesGetPeriodic(probes, &cycles, &reached, &change));
    PetscCall(HemoProbesGetFractions(probes, &nfrac, &frac));
    /* a vessel's figures are those of the probe nearest its midpoint */
    for (PetscInt f = 1; f < nfrac; f++)
      if (PetscAbsReal(frac[f] - 0.5) < PetscAbsReal(frac[fmid] - 0.5)) fmid = f;
    json_object_set_new(per, "period_s", HavocJsonReal(h->inlet->period));
    json_object_set_new(per, "cycles", json_integer(cycles));
    json_object_set_new(per, "reached", json_boolean(reached));
    json_object_set_new(per, "last_change_Pa", HavocJsonReal(change));
    json_object_set_new(root, "periodic", per);
    json_object_set_new(mass, "inflow_m3", HavocJsonReal(res->vin));
    json_object_set_new(mass, "outflow_m3", HavocJsonReal(res->vout));
    json_object_set_new(mass, "volume_change_m3", HavocJsonReal(res->dvol));
    json_object_set_new(mass, "balance_rel_error", HavocJsonReal(PetscAbsReal(res->vin - res->vout - res->dvol) / PetscMax(PetscMax(PetscAbsReal(res->vin), PetscAbsReal(res->vout)), PETSC_SMALL)));
    json_object_set_new(root, "mass_balance", mass);
    json_object_set_new(root, "statistics_over", json_string(cycles ? "the last complete cycle" : "the whole run"));
  }
  if (o->steady) {
    json_t         *st  = json_object();
    const PetscReal qin = TotalInflow(h, res);
    json_object_set_new(st, "newton_iterations", json_integer(res->s_its));
    json_object_set_new(st, "wall_time_s", HavocJsonReal(res->wall_steady));
    json_object_set_new(st, "inflow_m3s", HavocJsonReal(qin));
    if (o->pulsatile) {
      /* how far the cycle means of the pulsatile solution are from the steady network, over the vessels
         that carry more than 1 % of the inflow */
      PetscReal worst = 0;
      PetscInt  n = 0, at = -1;
      for (PetscInt i = 0; i < mesh->nvessels; i++) {
        const PetscReal qp = res->stats[(i * nfrac + fmid) * PROBE_NSTAT + PROBE_MEAN_Q];
        if (!(PetscAbsReal(qp) > 0.01 * qin)) continue;
        n++;
        if (!(PetscAbsReal(res->sQ[i] - qp) <= worst * PetscAbsReal(qp))) {
          worst = PetscAbsReal(res->sQ[i] - qp) / PetscAbsReal(qp);
          at    = i;
        }
      }
      json_object_set_new(st, "compared_vessels", json_integer(n));
      json_object_set_new(st, "max_rel_difference_vs_pulsatile", HavocJsonReal(worst));
      json_object_set_new(st, "max_rel_difference_at", json_string(at >= 0 ? mesh->vessels[at].name : ""));
    }
    json_object_set_new(root, "steady", st);
  }
  for (PetscInt i = 0; i < mesh->nvessels; i++) {
    const HavocMeshVessel *mv = &mesh->vessels[i];
    json_t                *v  = json_object();
    json_object_set_new(v, "name", json_string(mv->name));
    json_object_set_new(v, "cells", json_integer(h->net->vessel_cells[i]));
    if (o->pulsatile) {
      const PetscReal *mid = &res->stats[(i * nfrac + fmid) * PROBE_NSTAT];
      json_t          *pa  = json_array();
      json_object_set_new(v, "mean_flow_m3s", HavocJsonReal(mid[PROBE_MEAN_Q]));
      json_object_set_new(v, "mean_pressure_Pa", HavocJsonReal(mid[PROBE_MEAN_P]));
      json_object_set_new(v, "mean_velocity_ms", HavocJsonReal(mid[PROBE_MEAN_U]));
      {
        /* what a Doppler reads as the peak systolic velocity: the centreline of the profile of exponent
           zeta, (zeta + 2) / zeta times the cross-sectional mean */
        const PetscReal peak = PetscAbsReal(mid[PROBE_MAX_U]) >= PetscAbsReal(mid[PROBE_MIN_U]) ? mid[PROBE_MAX_U] : mid[PROBE_MIN_U];
        const PetscReal zeta = h->zeta >= 0 ? h->zeta : mv->zeta;
        json_object_set_new(v, "peak_velocity_ms", HavocJsonReal(peak));
        json_object_set_new(v, "peak_centreline_velocity_ms", HavocJsonReal(zeta > 0 ? peak * (zeta + 2) / zeta : peak));
      }
      for (PetscInt f = 0; f < nfrac; f++) {
        const PetscReal *s  = &res->stats[(i * nfrac + f) * PROBE_NSTAT];
        json_t          *pr = json_object();
        json_object_set_new(pr, "fraction", HavocJsonReal(frac[f]));
        json_object_set_new(pr, "p_mean_Pa", HavocJsonReal(s[PROBE_MEAN_P]));
        json_object_set_new(pr, "p_min_Pa", HavocJsonReal(s[PROBE_MIN_P]));
        json_object_set_new(pr, "p_max_Pa", HavocJsonReal(s[PROBE_MAX_P]));
        json_object_set_new(pr, "q_mean_m3s", HavocJsonReal(s[PROBE_MEAN_Q]));
        json_object_set_new(pr, "q_min_m3s", HavocJsonReal(s[PROBE_MIN_Q]));
        json_object_set_new(pr, "q_max_m3s", HavocJsonReal(s[PROBE_MAX_Q]));
        json_object_set_new(pr, "u_mean_ms", HavocJsonReal(s[PROBE_MEAN_U]));
        json_object_set_new(pr, "u_min_ms", HavocJsonReal(s[PROBE_MIN_U]));
        json_object_set_new(pr, "u_max_ms", HavocJsonReal(s[PROBE_MAX_U]));
        json_array_append_new(pa, pr);
      }
      json_object_set_new(v, "probes", pa);
    }
    if (o->steady) {
      /* the mean velocity through the steady lumen at the midpoint (the tube law's at the mean pressure when compliant) */
      const PetscReal pm = 0.5 * (res->sp0[i] + res->spL[i]);
      json_object_set_new(v, "steady_flow_m3s", HavocJsonReal(res->sQ[i]));
      json_object_set_new(v, "steady_pressure_Pa", HavocJsonReal(pm));
      json_object_set_new(v, "steady_pressure_0_Pa", HavocJsonReal(res->sp0[i]));
      json_object_set_new(v, "steady_pressure_L_Pa", HavocJsonReal(res->spL[i]));
      if (!o->pulsatile) {
        json_object_set_new(v, "mean_flow_m3s", HavocJsonReal(res->sQ[i]));
        json_object_set_new(v, "mean_pressure_Pa", HavocJsonReal(pm));
        json_object_set_new(v, "mean_velocity_ms", HavocJsonReal(res->sQ[i] / res->sA[i]));
      }
    }
    json_array_append_new(vessels, v);
  }
  json_object_set_new(root, "vessels", vessels);
  if (res->base_q && bolus) PetscCall(BolusSummary(h, bolus, res, root));
  if (tissue) PetscCall(TissueSummary(mesh, tissue, root));
  if (treatment) PetscCall(TreatmentSummary(treatment, root));
  if (json_dump_file(root, path, JSON_INDENT(2) | JSON_REAL_PRECISION(12))) {
    json_decref(root);
    SETERRQ(PETSC_COMM_SELF, PETSC_ERR_FILE_WRITE, "cannot write %s", path);
  }
  json_decref(root);
  PetscFunctionReturn(0);
}

/* The acute phase of a bolus: from the healthy periodic state through the injection until the gel has
   settled (or -bolus_acute_time). */
/* The flow phases' checkpoints: a monitor polls every CKPT_POLL steps, collectively, for a signal or the
   interval; the solver then pauses after the step and SolvePhase writes the checkpoint. */
#define CKPT_POLL 64

typedef struct {
  MPI_Comm          comm;
  const RunOptions *o;
  Hemo              h;
  HemoProbes        probes;
  Bolus             bolus; /* or NULL */
  Fields           *fields;
  HavocResult       result;
  const char       *tmp_h5;
  PetscReal         v0;    /* blood volume at the start of the pulsatile phase */
  PetscReal         wall0; /* wall time of the flow phases before this process (a restart) */
  PetscLogDouble    t0;    /* when this process began the flow phases */
  PetscLogDouble    last;  /* when the last checkpoint was written */
  int               sig;   /* the signal received (0: none) */
  PetscBool         due;   /* -checkpoint_interval has passed */
} Ckpt;

/* Whether a checkpoint is due (collective): the signal any rank received (0: none), and whether rank 0's
   clock says -checkpoint_interval has passed since the last one. */
static PetscErrorCode CkptDue(MPI_Comm comm, const RunOptions *o, PetscLogDouble last, int *sig, PetscBool *due)
{
  int            flags[2];
  PetscMPIInt    rank;
  PetscLogDouble now;

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  PetscCall(PetscTime(&now));
  flags[0] = HavocSignalPending();
  flags[1] = !rank && o->ck_interval > 0 && now - last >= o->ck_interval;
  PetscCallMPI(MPI_Allreduce(MPI_IN_PLACE, flags, 2, MPI_INT, MPI_MAX, comm));
  *sig = flags[0];
  *due = (PetscBool)flags[1];
  PetscFunctionReturn(0);
}

static PetscErrorCode CkptMonitor(Hemo h, void *ctx)
{
  Ckpt *c = (Ckpt *)ctx;

  PetscFunctionBeginUser;
  if (h->step % CKPT_POLL) PetscFunctionReturn(0);
  PetscCall(CkptDue(c->comm, c->o, c->last, &c->sig, &c->due));
  if (c->sig || c->due) h->pause = PETSC_TRUE;
  PetscFunctionReturn(0);
}

static PetscErrorCode CkptWrite(Ckpt *c, const char phase[], const char reason[], PetscBool fault)
{
  HavocCheckpoint     ck;
  HavocCheckpointInfo info = c->o->ck;
  PetscMPIInt         rank, size;
  PetscLogDouble      now;
  PetscReal           run[4];

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_rank(c->comm, &rank));
  PetscCallMPI(MPI_Comm_size(c->comm, &size));
  PetscCall(PetscTime(&now));
  run[0] = c->v0;
  run[1] = c->wall0 + (PetscReal)(now - c->t0);
  run[2] = c->fields->next;
  run[3] = c->fields->last;
  PetscCall(HavocCheckpointBegin(c->comm, c->o->out, &ck));
  PetscCall(HavocCheckpointWrite(ck, "run", run, sizeof(run)));
  PetscCall(HemoCheckpointWrite(c->h, ck));
  PetscCall(HemoProbesCheckpointWrite(c->probes, ck));
  if (c->bolus) PetscCall(BolusCheckpointWrite(c->bolus, ck));
  PetscCall(HavocResultFlush(c->result));
  if (!rank) PetscCall(HavocCheckpointCopyFile(ck, c->tmp_h5, "result.h5"));
  PetscCall(PetscStrncpy(info.phase, phase, sizeof(info.phase)));
  PetscCall(PetscStrncpy(info.reason, reason, sizeof(info.reason)));
  info.fault = fault;
  info.ranks = size;
  info.step  = c->h->step;
  info.t     = c->h->t;
  info.wall  = run[1];
  PetscCall(HavocCheckpointCommit(&ck, &info));
  PetscCall(PetscTime(&c->last));
  PetscCall(PetscPrintf(c->comm, "havoc: %s: checkpoint at t = %.6g s (step %" PetscInt_FMT ", %s phase; %s) in %s/checkpoint, %.2g s to write\n", c->o->name, (double)c->h->t, c->h->step, phase, reason, c->o->out, (double)(c->last - now)));
  PetscFunctionReturn(0);
}

/* One flow phase to its end, pausing for the checkpoints; a signal stops the run after its checkpoint, a
   numerical fault after one for diagnosis (with the fields at the fault). */
static PetscErrorCode SolvePhase(Ckpt *c, const char phase[])
{
  PetscErrorCode ierr;

  PetscFunctionBeginUser;
  for (;;) {
    ierr = HemoSolve(c->h);
    if (ierr == PETSC_ERR_NOT_CONVERGED) {
      /* collective: the solver's faults are agreed by every rank */
      char reason[256];
      (void)PetscSNPrintf(reason, sizeof(reason), "numerical fault: %s", HavocLastError());
      if (!FieldsWrite(c->h, c->fields)) (void)CkptWrite(c, phase, reason, PETSC_TRUE);
    }
    if (ierr) return ierr;
    if (!c->h->pause) break;
    PetscCall(CkptWrite(c, phase, c->sig ? (c->sig == SIGINT ? "SIGINT" : "SIGTERM") : "interval", PETSC_FALSE));
    if (c->sig) SETERRQ(c->comm, HAVOC_ERR_INTERRUPTED, "%s: interrupted by %s at t = %.6g s (step %" PetscInt_FMT "); continue with: havoc run --restart %s", c->o->name, c->sig == SIGINT ? "SIGINT" : "SIGTERM", (double)c->h->t, c->h->step, c->o->out);
  }
  PetscFunctionReturn(0);
}

static PetscErrorCode RunAcute(MPI_Comm comm, Hemo h, Bolus bolus, const RunOptions *o, HavocProgress *progress, Ckpt *c, PetscBool resumed)
{
  BolusInfo        info;
  PetscReal        inj, in_slugs, in_beds;
  PetscInt         ns;
  const HavocSlug *slugs;

  PetscFunctionBeginUser;
  PetscCall(BolusGetInfo(bolus, &info));
  if (info.extravascular) PetscFunctionReturn(0);
  if (!resumed) PetscCall(BolusStart(bolus));
  PetscCall(PetscPrintf(comm, "havoc: %s: bolus of %.3g mL of %s into '%s' at %.3g mm from its x = 0 end, from t = %.4g s\n", o->name, 1e6 * (double)info.requested, info.filler.label, h->mesh->vessels[info.tip_vessel].name, 1e3 * (double)info.tip_x, (double)h->t));
  PetscCall(HavocProgressStart(progress, h, o->quiet));
  PetscCall(SolvePhase(c, "acute"));
  PetscCall(HavocProgressEnd(progress));
  PetscCall(BolusGetInfo(bolus, &info));
  PetscCall(BolusGetVolumes(bolus, &inj, &in_slugs, &in_beds));
  PetscCall(BolusGetSlugs(bolus, &ns, &slugs));
  PetscCall(PetscPrintf(comm, "havoc: %s: acute phase to t = %.4g s (%s): %.3g of %.3g mL injected, %" PetscInt_FMT " slug%s holding %.3g mL, %.3g mL in terminal beds\n", o->name, (double)h->t, info.settled ? "the gel has settled" : "time limit", 1e6 * (double)inj, 1e6 * (double)info.requested, ns, ns == 1 ? "" : "s", 1e6 * (double)in_slugs, 1e6 * (double)in_beds));
  PetscFunctionReturn(0);
}

/* The pulsatile phase: probes and fields into the result file, to -hemo_t_end or the periodic state;
   with a bolus (not NULL), then the acute phase. f: the snapshots, set up by the caller. */
static PetscErrorCode PulsatilePhases(MPI_Comm comm, Hemo h, HemoProbes probes, Bolus bolus, const RunOptions *o, HavocResult result, const char tmp_h5[], Fields *f, RunResults *res)
{
  HavocProgress  progress;
  PetscLogDouble t1;
  PetscReal      v1;
  Ckpt           c;
  /* where a restart continues: 0 the pulsatile phase, 1 the acute phase, 2 after both */
  const PetscInt resume = !o->restart ? 0 : !strcmp(o->ck.phase, "pulsatile") ? 0
                                          : !strcmp(o->ck.phase, "acute")     ? 1
                                                                              : 2;

  PetscFunctionBeginUser;
  PetscCall(PetscMemzero(&c, sizeof(c)));
  c.comm   = comm;
  c.o      = o;
  c.h      = h;
  c.probes = probes;
  c.bolus  = bolus;
  c.fields = f;
  c.result = result;
  c.tmp_h5 = tmp_h5;
  if (o->restart) {
    HavocCheckpoint ck;
    PetscReal       run[4];
    PetscCall(HavocCheckpointOpen(comm, o->out, &ck));
    PetscCall(HavocCheckpointRead(ck, "run", run, sizeof(run)));
    PetscCall(HemoCheckpointRead(h, ck));
    PetscCall(HemoProbesCheckpointRead(probes, ck));
    if (bolus) PetscCall(BolusCheckpointRead(bolus, ck));
    PetscCall(HavocCheckpointClose(&ck));
    c.v0    = run[0];
    c.wall0 = run[1];
    f->next = run[2];
    f->last = run[3];
    /* (a checkpoint of the tissue phase says so there) */
    if (strcmp(o->ck.phase, "tissue")) PetscCall(PetscPrintf(comm, "havoc: %s: continuing from the checkpoint at t = %.6g s (step %" PetscInt_FMT ", %s phase)\n", o->name, (double)h->t, h->step, o->ck.phase));
  } else {
    if (o->field_dt > 0) PetscCall(FieldsWrite(h, f));
    PetscCall(HemoGetVolume(h, &c.v0));
  }
  PetscCall(HemoMonitorAdd(h, FieldsMonitor, f));
  PetscCall(HavocProgressStart(&progress, h, o->quiet));
  PetscCall(HemoMonitorAdd(h, HavocProgressMonitor, &progress));
  PetscCall(HemoMonitorAdd(h, CkptMonitor, &c));

  PetscCall(PetscTime(&c.t0));
  c.last = c.t0;
  if (resume == 0) PetscCall(SolvePhase(&c, "pulsatile"));
  PetscCall(HavocProgressEnd(&progress));
  if (bolus && resume <= 1) PetscCall(RunAcute(comm, h, bolus, o, &progress, &c, (PetscBool)(resume == 1)));
  PetscCall(PetscTime(&t1));
  if (resume <= 1) {
    PetscCall(HemoProbesFinish(probes));
    if (f->last != h->t) PetscCall(FieldsWrite(h, f));
    /* the chronic phases restart from here */
    if (o->ck_chronic && o->steady) PetscCall(CkptWrite(&c, "chronic", "end of the flow phases", PETSC_FALSE));
  }
  PetscCall(HemoGetVolume(h, &v1));
  PetscCall(HemoGetBoundaryVolumes(h, &res->vin, &res->vout));
  res->dvol           = v1 - c.v0;
  res->wall_pulsatile = c.wall0 + (PetscReal)(t1 - c.t0);
  PetscCall(HemoProbesGetStats(probes, &res->stats));
  PetscFunctionReturn(0);
}

/* The flow phases with their snapshots; then what they did, on stdout. */
static PetscErrorCode RunPulsatile(MPI_Comm comm, Hemo h, HemoProbes probes, Bolus bolus, const RunOptions *o, HavocResult result, const char tmp_h5[], RunResults *res)
{
  Fields         fields;
  PetscErrorCode ierr;

  PetscFunctionBeginUser;
  PetscCall(HemoProbesSetUp(probes, result));
  fields.result = result;
  fields.dt     = o->field_dt;
  fields.next   = o->field_dt;
  fields.last   = -1;
  fields.bolus  = bolus;
  fields.base_q = res->base_q;
  PetscCall(PetscMalloc7(h->net->nvessels, &fields.offset, h->net->nvessels, &fields.count, h->net->ncells_local, &fields.A, h->net->ncells_local, &fields.Q, h->net->ncells_local, &fields.p, h->net->ncells_local, &fields.gel, h->net->ncells_local, &fields.frac));
  for (PetscInt i = 0; i < h->net->nvessels; i++) {
    fields.offset[i] = h->net->vessels[i].cell_offset;
    fields.count[i]  = h->net->vessels[i].ncells;
  }
  {
    /* gel with a bolus; flow_fraction with a healthy baseline (a bolus or tissue) */
    const char *names[5] = {"A", "Q", "p"}, *units[5] = {"m^2", "m^3/s", "Pa"};
    PetscInt    nf = 3;
    fields.data[0] = fields.A;
    fields.data[1] = fields.Q;
    fields.data[2] = fields.p;
    if (bolus) {
      names[nf]         = "gel";
      units[nf]         = "1";
      fields.data[nf++] = fields.gel;
    }
    if (res->base_q) {
      names[nf]         = "flow_fraction";
      units[nf]         = "1";
      fields.data[nf++] = fields.frac;
    }
    PetscCall(HavocResultFieldsCreate(result, h->net->ncells_total, nf, names, units));
  }
  ierr = PulsatilePhases(comm, h, probes, bolus, o, result, tmp_h5, &fields, res);
  /* freed whether the phases succeed or not: a sweep runs many cases in one process */
  PetscCall(PetscFree7(fields.offset, fields.count, fields.A, fields.Q, fields.p, fields.gel, fields.frac));
  if (ierr) return ierr;
  {
    PetscInt  cycles;
    PetscBool reached;
    PetscReal change;
    PetscCall(HemoProbesGetPeriodic(probes, &cycles, &reached, &change));
    PetscCall(PetscPrintf(comm, "havoc: %s: pulsatile to t = %.4g s in %" PetscInt_FMT " steps, %.3g s wall", o->name, (double)h->t, h->step, (double)res->wall_pulsatile));
    if (h->inlet->period > 0) PetscCall(PetscPrintf(comm, "; %" PetscInt_FMT " cycles, %s (last cycle-to-cycle change %.3g Pa)", cycles, reached ? "periodic" : "not yet periodic", (double)change));
    PetscCall(PetscPrintf(comm, "\n"));
  }
  {
    PetscInt n = h->jstatic;
    PetscCallMPI(MPI_Allreduce(MPI_IN_PLACE, &n, 1, MPIU_INT, MPI_MAX, comm));
    if (n) PetscCall(PetscPrintf(comm, "havoc: %s: note: %" PetscInt_FMT " junction solves had no solution with total pressure continuity (a jet too fast for it) and used static pressure continuity for their step\n", o->name, n));
  }
  PetscFunctionReturn(0);
}

/* The steady phase: the cycle-averaged network under the mean of the inlet waveform, same blood and
   friction as the pulsatile solver. */
static PetscErrorCode RunSteady(MPI_Comm comm, Hemo h, Steady s, const RunOptions *o, HavocResult result, RunResults *res)
{
  PetscLogDouble t0, t1;

  PetscFunctionBeginUser;
  PetscCall(SteadySetBlood(s, h->rho, h->mu, h->zeta));
  PetscCall(SteadySetInlet(s, h->inlet_pressure, h->inlet->mean));
  PetscCall(PetscTime(&t0));
  PetscCall(SteadySolve(s));
  PetscCall(PetscTime(&t1));
  res->wall_steady = (PetscReal)(t1 - t0);
  PetscCall(SteadyGetSolution(s, &res->sQ, &res->sp0, &res->spL));
  PetscCall(SteadyGetIterations(s, &res->s_its));
  PetscCall(PetscMalloc1(h->mesh->nvessels, &res->sA));
  for (PetscInt i = 0; i < h->mesh->nvessels; i++)
    PetscCall(SteadyGetMidArea(s, i, &res->sA[i]));
  PetscCall(HavocResultWriteSteady(result, h->mesh->nvessels, res->sQ, res->sp0, res->spL, res->s_its));
  PetscCall(PetscPrintf(comm, "havoc: %s: steady network in %" PetscInt_FMT " Newton iteration%s, %.3g ms wall\n", o->name, res->s_its, res->s_its == 1 ? "" : "s", 1e3 * (double)res->wall_steady));
  PetscFunctionReturn(0);
}

/* The tissue phase's checkpoints: the pause of the treatment's loop, or of the damage clock when the tissue
   runs alone, polls collectively for a signal or the interval. A checkpoint extends the one of the end of
   the flow phases (its records and result file) with the state of the tissue and, with a treatment, of
   the treatment, the bolus and the steady solver; a restart runs the steady phase again (the same
   numbers) and continues the clock from it. */
#define TISSUE_MARK "tissue.begin"

typedef struct {
  MPI_Comm          comm;
  const RunOptions *o;
  Tissue            tissue;
  Treatment         treatment; /* or NULL */
  Bolus             bolus;
  Steady            s;
  PetscReal         wall; /* of the flow phases, for the manifest */
  PetscLogDouble    last; /* when the last checkpoint was written */
} TissueCkpt;

/* The tissue phase's records after the mark, written or read in the same order. */
static PetscErrorCode TissueState(TissueCkpt *c, HavocCheckpoint ck, PetscBool write)
{
  PetscFunctionBeginUser;
  PetscCall(TissueCheckpoint(c->tissue, ck, write));
  if (!c->treatment) PetscFunctionReturn(0);
  PetscCall(TreatmentCheckpoint(c->treatment, ck, write));
  if (write) PetscCall(BolusCheckpointWrite(c->bolus, ck));
  else PetscCall(BolusCheckpointRead(c->bolus, ck));
  PetscCall(SteadyCheckpoint(c->s, ck, write));
  PetscFunctionReturn(0);
}

static PetscErrorCode TissuePause(void *ctx)
{
  TissueCkpt         *c = (TissueCkpt *)ctx;
  const RunOptions   *o = c->o;
  int                 signo;
  PetscBool           due;
  PetscMPIInt         size;
  PetscLogDouble      now, done;
  PetscReal           t, t_end;
  PetscInt            steps;
  HavocCheckpoint     ck;
  HavocCheckpointInfo info = o->ck;
  const char         *sig;

  PetscFunctionBeginUser;
  PetscCall(CkptDue(c->comm, o, c->last, &signo, &due));
  if (!signo && !due) PetscFunctionReturn(0);
  PetscCallMPI(MPI_Comm_size(c->comm, &size));
  PetscCall(PetscTime(&now));
  sig = signo == SIGINT ? "SIGINT" : "SIGTERM";
  PetscCall(TissueGetTime(c->tissue, &t, &steps));
  PetscCall(TissueGetEndTime(c->tissue, &t_end));
  if (!o->pulsatile) {
    /* no flow phases, no checkpoint of their end to extend */
    c->last = now;
    if (signo) SETERRQ(c->comm, HAVOC_ERR_INTERRUPTED, "%s: interrupted by %s in the tissue phase (at %.3g h of its %.3g h); the run has no flow phases, hence no checkpoint: run it again", o->name, sig, (double)(t / 3600), (double)(t_end / 3600));
    PetscFunctionReturn(0);
  }
  PetscCall(HavocCheckpointExtend(c->comm, o->out, TISSUE_MARK, &ck));
  PetscCall(TissueState(c, ck, PETSC_TRUE));
  PetscCall(PetscStrncpy(info.phase, "tissue", sizeof(info.phase)));
  PetscCall(PetscStrncpy(info.reason, signo ? sig : "interval", sizeof(info.reason)));
  info.fault = PETSC_FALSE;
  info.ranks = size;
  info.step  = steps;
  info.t     = t;
  info.wall  = c->wall;
  PetscCall(HavocCheckpointCommit(&ck, &info));
  PetscCall(PetscTime(&done));
  c->last = done;
  PetscCall(PetscPrintf(c->comm, "havoc: %s: checkpoint at %.4g h of the tissue phase (step %" PetscInt_FMT "; %s) in %s/checkpoint, %.2g s to write\n", o->name, (double)(t / 3600), steps, info.reason, o->out, (double)(done - now)));
  if (signo) SETERRQ(c->comm, HAVOC_ERR_INTERRUPTED, "%s: interrupted by %s in the tissue phase at %.4g h of its %.4g h; continue with: havoc run --restart %s", o->name, sig, (double)(t / 3600), (double)(t_end / 3600), o->out);
  PetscFunctionReturn(0);
}

/* After TissueBegin (TreatmentBegin): the state of a checkpoint of the tissue phase. */
static PetscErrorCode TissueRestore(TissueCkpt *c)
{
  HavocCheckpoint ck;
  PetscReal       t;
  PetscInt        steps;

  PetscFunctionBeginUser;
  PetscCall(HavocCheckpointOpen(c->comm, c->o->out, &ck));
  PetscCall(HavocCheckpointSkipPast(ck, TISSUE_MARK));
  PetscCall(TissueState(c, ck, PETSC_FALSE));
  PetscCall(HavocCheckpointClose(&ck));
  PetscCall(TissueGetTime(c->tissue, &t, &steps));
  PetscCall(PetscPrintf(c->comm, "havoc: %s: continuing from the checkpoint of the tissue phase at %.4g h (step %" PetscInt_FMT ")\n", c->o->name, (double)(t / 3600), steps));
  PetscFunctionReturn(0);
}

/* The tissue after the chronic network: its map, oxygen and damage to the end time, written to /tissue. */
static PetscErrorCode RunTissue(MPI_Comm comm, Hemo h, Tissue tissue, Treatment treatment, Bolus bolus, Steady s, const RunOptions *o, HavocResult result, const RunResults *res)
{
  PetscLogDouble     t0, t1;
  DM                 da;
  PetscReal          dx, origin[2], necrotic = 0;
  PetscInt           mx, my, xs, ys, xm, ym, nmaps, nrep, nnec = 0;
  const char *const *names, *const *units;
  const PetscReal *const      *maps;
  const PetscReal             *times;
  const TissueTerritoryReport *rep;

  PetscFunctionBeginUser;
  PetscCall(PetscTime(&t0));
  PetscCall(TissueSetUp(tissue, res->base_q));
  if (treatment) PetscCall(TreatmentBegin(treatment, bolus, s, tissue, res->base_q));
  else PetscCall(TissueBegin(tissue, res->sQ));
  {
    TissueCkpt     c = {comm, o, tissue, treatment, bolus, s, res->wall_pulsatile, t0};
    PetscErrorCode ierr;
    if (o->restart && !strcmp(o->ck.phase, "tissue")) PetscCall(TissueRestore(&c));
    /* the clock pauses for checkpoints: the treatment between its steps, the tissue alone part-way */
    if (treatment) PetscCall(TreatmentSetPause(treatment, TissuePause, &c));
    else PetscCall(TissueSetPause(tissue, TissuePause, &c));
    ierr = treatment ? TreatmentEnd(treatment, bolus, s, tissue) : TissueEnd(tissue);
    if (treatment) PetscCall(TreatmentSetPause(treatment, NULL, NULL));
    else PetscCall(TissueSetPause(tissue, NULL, NULL));
    if (ierr) return ierr;
  }
  if (treatment) PetscCall(TreatmentWrite(treatment, result));
  PetscCall(PetscTime(&t1));
  PetscCall(TissueGetMap(tissue, &da, &dx, origin));
  PetscCall(DMDAGetInfo(da, NULL, &mx, &my, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL));
  PetscCall(DMDAGetCorners(da, &xs, &ys, NULL, &xm, &ym, NULL));
  PetscCall(TissueGetMaps(tissue, &nmaps, &names, &units, &maps));
  PetscCall(TissueGetReports(tissue, &nrep, &times, &rep));
  PetscCall(HavocResultWriteTissue(result, nrep, times, dx, origin, mx, my, xs, ys, xm, ym, nmaps, names, units, maps));
  for (PetscInt r = 0; r < h->mesh->nterritories; r++)
    if (!rep[r].compartment && rep[r].necrotic[nrep - 1] > 0) necrotic += rep[r].necrotic[nrep - 1], nnec++;
  PetscCall(PetscPrintf(comm, "havoc: %s: tissue to %.4g h on a %" PetscInt_FMT " x %" PetscInt_FMT " map of %.2g mm cells, %.3g s wall: %.3g cm^2 of skin necrotic in %" PetscInt_FMT " territor%s", o->name, (double)(times[nrep - 1] / 3600), mx, my, (double)(dx * 1e3), (double)(t1 - t0), (double)(necrotic * 1e4), nnec, nnec == 1 ? "y" : "ies"));
  for (PetscInt r = 0; r < h->mesh->nterritories; r++)
    if (h->mesh->territories[r].tissue == HAVOC_TISSUE_RETINA) PetscCall(PetscPrintf(comm, "; %s %s", h->mesh->territories[r].name, TissueCompartmentState(tissue, r)));
  PetscCall(PetscPrintf(comm, "\n"));
  if (treatment) {
    PetscReal units, left;
    PetscInt  nrec, nsl;
    PetscCall(TreatmentGetTotals(treatment, &units, &left, &nrec, &nsl));
    PetscCall(PetscPrintf(comm, "havoc: %s: treatment: %.4g U of hyaluronidase; %" PetscInt_FMT " of %" PetscInt_FMT " slugs recanalized; %.3g %% of the HA left at %.4g h\n", o->name, (double)units, nrec, nsl, (double)(100 * left), (double)(times[nrep - 1] / 3600)));
  }
  PetscFunctionReturn(0);
}

/* Everything that writes to the result file and summary.json; res collects what the phases produced. */
static PetscErrorCode RunPhases(MPI_Comm comm, Hemo h, HemoProbes probes, Steady s, Bolus bolus, PetscBool with_bolus, Tissue tissue, PetscBool with_tissue, Treatment treatment, const RunOptions *o, HavocResult result, const char tmp_h5[], const char tmp_json[], RunResults *res)
{
  PetscReal  *dx;
  PetscMPIInt rank, size;
  char       *options;

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  PetscCallMPI(MPI_Comm_size(comm, &size));
  if (o->restart) goto written; /* the checkpoint's copy of the result file has them */
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
written:

  if (with_bolus || with_tissue) {
    /* the healthy network: the baseline of every flow fraction, of the beds' capillary volumes and of
       the tissue's perfusion */
    const PetscReal *q, *p0, *pL;
    PetscCall(SteadySetBlood(s, h->rho, h->mu, h->zeta));
    PetscCall(SteadySetInlet(s, h->inlet_pressure, h->inlet->mean));
    PetscCall(SteadySolve(s));
    PetscCall(SteadyGetSolution(s, &q, &p0, &pL));
    PetscCall(PetscMalloc1(h->mesh->nvessels, &res->base_q));
    PetscCall(PetscArraycpy(res->base_q, q, h->mesh->nvessels));
    if (with_bolus) PetscCall(BolusSetUp(bolus, res->base_q, p0, pL));
  }
  if (o->pulsatile) PetscCall(RunPulsatile(comm, h, probes, with_bolus ? bolus : NULL, o, result, tmp_h5, res));
  if (with_bolus) PetscCall(BolusApplySteady(bolus, s));
  if (o->steady) PetscCall(RunSteady(comm, h, s, o, result, res));
  if (o->steady && res->base_q) PetscCall(HavocResultWriteArray(result, "steady", "baseline_flow", h->mesh->nvessels, 0, res->base_q, "m^3/s"));
  if (with_tissue) PetscCall(RunTissue(comm, h, tissue, treatment, bolus, s, o, result, res));
  if (with_bolus) {
    PetscInt               n;
    const HavocSlugRecord *rows;
    const PetscReal       *bed, *cap;
    PetscReal             *t, *xa, *xb, *V;
    PetscInt              *id, *ves, *st;
    PetscCall(BolusGetTrajectory(bolus, &n, &rows));
    PetscCall(BolusGetBeds(bolus, &bed, &cap));
    PetscCall(PetscMalloc7(n + 1, &t, n + 1, &xa, n + 1, &xb, n + 1, &V, n + 1, &id, n + 1, &ves, n + 1, &st)); /* never NULL: HDF5 wants a buffer even for no rows */
    for (PetscInt k = 0; k < n; k++) {
      t[k]   = rows[k].t;
      xa[k]  = rows[k].xa;
      xb[k]  = rows[k].xb;
      V[k]   = rows[k].V;
      id[k]  = rows[k].id;
      ves[k] = rows[k].vessel;
      st[k]  = rows[k].state;
    }
    PetscCall(HavocResultWriteBolus(result, n, t, id, ves, xa, xb, V, st, h->mesh->nvessels, bed, cap));
    PetscCall(PetscFree7(t, xa, xb, V, id, ves, st));
  }
  {
    PetscInt mine[2] = {h->net->nvessels, h->net->ncells_local};
    if (!rank) PetscCall(PetscMalloc1(2 * size, &res->load));
    PetscCallMPI(MPI_Gather(mine, 2, MPIU_INT, res->load, 2, MPIU_INT, 0, comm));
    if (!rank) PetscCall(WriteSummary(h, probes, with_bolus ? bolus : NULL, with_tissue ? tissue : NULL, treatment, o, res, tmp_json));
  }
  PetscFunctionReturn(0);
}

/* The phases into tmp_h5 and tmp_json; the result file is closed and the phases' arrays freed whether they
   succeed or not (a sweep runs many cases in one process). */
static PetscErrorCode Run(MPI_Comm comm, Hemo h, HemoProbes probes, Steady s, Bolus bolus, PetscBool with_bolus, Tissue tissue, PetscBool with_tissue, Treatment treatment, const RunOptions *o, const char tmp_h5[], const char tmp_json[])
{
  HavocResult    result;
  RunResults     res;
  PetscErrorCode ierr;

  PetscFunctionBeginUser;
  PetscCall(PetscMemzero(&res, sizeof(res)));
  if (o->restart) {
    /* the result file as it was at the checkpoint, continued */
    PetscCall(HavocCheckpointCopyOut(comm, o->out, "result.h5", tmp_h5));
    PetscCall(HavocResultOpen(comm, tmp_h5, &result));
  } else PetscCall(HavocResultCreate(comm, tmp_h5, &result));
  ierr = RunPhases(comm, h, probes, s, bolus, with_bolus, tissue, with_tissue, treatment, o, result, tmp_h5, tmp_json, &res);
  PetscCall(PetscFree(res.base_q));
  PetscCall(PetscFree(res.load));
  PetscCall(PetscFree(res.stats));
  PetscCall(PetscFree(res.sA));
  if (ierr) {
    (void)HavocResultClose(&result);
    return ierr;
  }
  PetscCall(HavocResultClose(&result));
  PetscFunctionReturn(0);
}

/* What a run creates; HavocCmdRun destroys it whether the run succeeds or not. */
typedef struct {
  HavocMesh  mesh;
  Hemo       h;
  HemoProbes probes;
  Steady     steady;
  Bolus      bolus;
  Tissue     tissue;
  Treatment  treatment;
} RunObjects;

/* havoc run --restart DIR: the run is set up again as it was started (same directory, case file and
   command-line options, from the checkpoint's manifest) and continues from the checkpoint. */
static PetscErrorCode RestartBegin(MPI_Comm comm, const HavocArgs *args, RunOptions *o)
{
  const char *dir = HavocArgsFlag(args, "--restart");
  char        abs[PETSC_MAX_PATH_LEN];
  PetscMPIInt size;

  PetscFunctionBeginUser;
  HavocCheckUser(!args->npos, comm, "havoc run --restart DIR takes no case file: the run continues with the case and options it was started with (DIR/checkpoint/manifest.json)");
  /* only options that do not change the numbers: -quiet and PETSc's own, but for the partitioner */
  {
    PetscInt n;
    char   **names, **values, bad[128] = "";
    PetscCall(PetscOptionsLeftGet(NULL, &n, &names, &values));
    for (PetscInt k = 0; k < n && !bad[0]; k++)
      if (strcmp(names[k], "quiet") && (!HavocOptionPetscOwned(names[k]) || !strncmp(names[k], "petscpartitioner_", 17))) PetscCall(PetscSNPrintf(bad, sizeof(bad), "-%s", names[k]));
    PetscCall(PetscOptionsLeftRestore(NULL, &n, &names, &values));
    HavocCheckUser(!bad[0], comm, "havoc run --restart: option %s cannot be changed on a restart (only -quiet): the run continues with the options it was started with", bad);
  }
  if (dir[0] == '/') PetscCall(PetscStrncpy(abs, dir, sizeof(abs)));
  else {
    char cwd[PETSC_MAX_PATH_LEN];
    HavocCheckUser(getcwd(cwd, sizeof(cwd)), comm, "havoc run --restart: cannot get the working directory");
    PetscCall(PetscSNPrintf(abs, sizeof(abs), "%s/%s", cwd, dir));
  }
  PetscCall(HavocCheckpointReadInfo(comm, abs, &o->ck));
  PetscCallMPI(MPI_Comm_size(comm, &size));
  HavocCheckUser(!o->ck.fault, comm, "havoc run --restart %s: this checkpoint was written at a numerical fault, for diagnosis (%s); it cannot be continued: change the case (a smaller -hemo_cfl or -network_dx) and run it again", dir, o->ck.reason);
  HavocCheckUser(o->ck.ranks == size, comm, "havoc run --restart %s: the run had %" PetscInt_FMT " ranks, this one has %d: restart it with mpiexec -n %" PetscInt_FMT " (a checkpoint holds each rank's part of the network)", dir, o->ck.ranks, size, o->ck.ranks);
  HavocCheckUser(!chdir(o->ck.cwd), comm, "havoc run --restart %s: cannot change to the run's working directory %s: %s", dir, o->ck.cwd, strerror(errno));
  {
    json_t *a = json_loads(o->ck.args, 0, NULL);
    size_t  k;
    json_t *pair;
    HavocCheckUser(json_is_array(a), comm, "havoc run --restart %s: the options in the checkpoint's manifest are not a list", dir);
    json_array_foreach(a, k, pair)
    {
      json_t *v = json_array_get(pair, 1);
      if (json_is_string(json_array_get(pair, 0))) PetscCall(PetscOptionsSetValue(NULL, json_string_value(json_array_get(pair, 0)), json_is_string(v) ? json_string_value(v) : NULL));
    }
    json_decref(a);
  }
  o->restart = PETSC_TRUE;
  /* the output directory is where the checkpoint is, even if it was moved */
  PetscCall(PetscStrncpy(o->restart_dir, abs, sizeof(o->restart_dir)));
  PetscFunctionReturn(0);
}

/* The options the run was started with (before its case file), as JSON pairs for the checkpoint's
   manifest: none of havoc's own has been read yet, so they are all among the unused ones. */
static PetscErrorCode RunArgs(MPI_Comm comm, RunOptions *o)
{
  PetscInt n;
  char   **names, **values, *text;
  json_t  *a = json_array();

  PetscFunctionBeginUser;
  PetscCall(PetscOptionsLeftGet(NULL, &n, &names, &values));
  for (PetscInt k = 0; k < n; k++) {
    char name[256];
    PetscCall(PetscSNPrintf(name, sizeof(name), "-%s", names[k]));
    json_array_append_new(a, json_pack("[s,o]", name, values[k] ? json_string(values[k]) : json_null()));
  }
  PetscCall(PetscOptionsLeftRestore(NULL, &n, &names, &values));
  text = json_dumps(a, JSON_COMPACT);
  json_decref(a);
  if (!text || strlen(text) >= sizeof(o->ck.args)) {
    free(text);
    SETERRQ(comm, PETSC_ERR_USER_INPUT, "havoc run: the options of the command line are longer than %d characters", (int)sizeof(o->ck.args) - 1);
  }
  PetscCall(PetscStrncpy(o->ck.args, text, sizeof(o->ck.args)));
  free(text);
  PetscFunctionReturn(0);
}

/* A hash of the case file's and the network's text: a restart must find them as they were. */
static PetscErrorCode RunHash(MPI_Comm comm, RunOptions *o)
{
  unsigned long long h = HAVOC_HASH_INIT;
  char              *text, hex[32];
  size_t             len;

  PetscFunctionBeginUser;
  if (o->case_path[0]) {
    PetscCall(HavocReadFile(comm, o->case_path, "case file", &text, &len));
    h = HavocHash(h, text);
    PetscCall(PetscFree(text));
  }
  PetscCall(HavocReadFile(comm, o->mesh, "network file", &text, &len));
  h = HavocHash(HavocHash(h, "\n--\n"), text);
  PetscCall(PetscFree(text));
  PetscCall(PetscSNPrintf(hex, sizeof(hex), "%016llx", h));
  HavocCheckUser(!o->restart || !strcmp(hex, o->ck.options_hash), comm, "havoc run --restart %s: the case file %s or its network %s changed since the checkpoint: the run cannot continue from it", o->restart_dir, o->case_path[0] ? o->case_path : "(none)", o->mesh);
  PetscCall(PetscStrncpy(o->ck.options_hash, hex, sizeof(o->ck.options_hash)));
  PetscFunctionReturn(0);
}

static PetscErrorCode RunCommand(MPI_Comm comm, const HavocArgs *args, RunObjects *ob)
{
  RunOptions     o;
  HavocMesh      mesh = NULL;
  Hemo           h;
  HemoProbes     probes;
  Steady         steady = NULL;
  Bolus          bolus;
  Tissue         tissue;
  Treatment      treatment;
  PetscBool      help, with_bolus, with_tissue, with_treatment;
  PetscMPIInt    rank;
  PetscErrorCode ierr;
  char           h5[PETSC_MAX_PATH_LEN], json[PETSC_MAX_PATH_LEN], tmp_h5[PETSC_MAX_PATH_LEN], tmp_json[PETSC_MAX_PATH_LEN];

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  PetscCall(PetscMemzero(&o, sizeof(o)));
  PetscCall(PetscOptionsHasHelp(NULL, &help));
  if (HavocArgsFlag(args, "--restart")) PetscCall(RestartBegin(comm, args, &o));
  else {
    HavocCheckUser(args->npos <= 1, comm, "havoc run takes one case file, got %d arguments (options go after it: havoc run CASE.yaml -o DIR)", args->npos);
    HavocCheckUser(args->npos == 1 || help, comm, "usage: havoc run CASE.yaml [-o DIR] [options] or havoc run --restart DIR; havoc run -help lists the options");
    PetscCall(RunArgs(comm, &o));
    if (args->npos) PetscCall(PetscStrncpy(o.ck.case_path, args->pos[0], sizeof(o.ck.case_path)));
    if (!getcwd(o.ck.cwd, sizeof(o.ck.cwd))) o.ck.cwd[0] = 0;
  }
  if (o.ck.case_path[0]) {
    char copy[PETSC_MAX_PATH_LEN], *dot;
    PetscCall(HavocCaseLoad(comm, o.ck.case_path));
    PetscCall(PetscStrncpy(o.case_path, o.ck.case_path, sizeof(o.case_path)));
    PetscCall(PetscStrncpy(copy, o.ck.case_path, sizeof(copy)));
    PetscCall(PetscStrncpy(o.name, basename(copy), sizeof(o.name)));
    dot = strrchr(o.name, '.');
    if (dot && dot != o.name) *dot = 0;
  }
  PetscCall(RunSetFromOptions(comm, &o));
  HavocCheckUser(o.mesh[0] || help, comm, "%s: no network: set 'mesh: FILE' in the case file or give -mesh FILE", o.case_path);
  if (!help) PetscCall(RunHash(comm, &o));
  if (!help) PetscCall(HavocMeshRead(comm, o.mesh, &mesh));
  ob->mesh = mesh;
  PetscCall(HemoCreate(comm, &h));
  ob->h = h;
  PetscCall(HemoSetFromOptions(h));
  PetscCall(HemoProbesCreate(h, &probes));
  ob->probes = probes;
  PetscCall(HemoProbesSetFromOptions(probes));
  PetscCall(BolusCreate(h, &bolus));
  ob->bolus = bolus;
  PetscCall(BolusSetFromOptions(bolus, &with_bolus));
  {
    PetscBool restored;
    PetscCall(BolusRestored(bolus, &restored));
    HavocCheckUser(!with_bolus || help || restored || (o.pulsatile && o.steady), comm, "option -run_phases: a case with a bolus needs pulsatile,steady (the acute phase, then the chronic network)");
    HavocCheckUser(!with_bolus || help || !restored || (!o.pulsatile && o.steady), comm, "option -bolus_restart: the gel is restored as it was after the acute phase: run the chronic network alone (-run_phases steady)");
  }
  PetscCall(TissueCreate(comm, mesh, &tissue));
  ob->tissue = tissue;
  PetscCall(TissueSetFromOptions(tissue, &with_tissue));
  o.ck_chronic = (PetscBool)(o.ck_interval > 0 || with_tissue); /* the tissue takes seconds to minutes */
  HavocCheckUser(!with_tissue || help || o.steady, comm, "option -tissue_t_end: the tissue needs the steady phase (-run_phases pulsatile,steady or steady): it is perfused by the chronic network");
  PetscCall(TreatmentCreate(comm, mesh, &treatment));
  ob->treatment = treatment;
  PetscCall(TreatmentSetFromOptions(treatment, &with_treatment));
  HavocCheckUser(!with_treatment || help || (with_bolus && with_tissue), comm, "options -enzyme_* and -vasodilation_*: a treatment needs a bolus (-bolus_*) and the tissue (-tissue_t_end): it acts on lodged gel over the tissue's hours");
  if (help) {
    PetscCall(SteadyHelp(comm));
    PetscFunctionReturn(0);
  }
  PetscCall(HemoSetMesh(h, mesh));
  PetscCall(HemoSetUp(h));
  if (o.steady) {
    PetscCall(SteadyCreate(h->net, &steady));
    ob->steady = steady;
    /* a run compares the steady state with the pulsatile one, whose lumen follows the pressure */
    PetscCall(SteadySetCompliant(steady, PETSC_TRUE));
    PetscCall(SteadySetFromOptions(steady));
    PetscCall(SteadySetUp(steady));
  } else PetscCall(SteadyHelp(comm)); /* a case file may set them for another choice of -run_phases */
  PetscCall(HavocOptionsCheckUnused(comm));

  if (!o.out[0]) PetscCall(PetscSNPrintf(o.out, sizeof(o.out), "results/%s", o.name));
  if (o.restart) PetscCall(PetscStrncpy(o.out, o.restart_dir, sizeof(o.out)));
  PetscCall(MkdirP(comm, o.out));
  /* the checkpoints of an earlier run into the same directory are not this run's */
  if (!o.restart) PetscCall(HavocCheckpointRemove(comm, o.out));
  PetscCall(PetscSNPrintf(h5, sizeof(h5), "%s/result.h5", o.out));
  PetscCall(PetscSNPrintf(json, sizeof(json), "%s/summary.json", o.out));
  PetscCall(HavocTempPath(comm, h5, tmp_h5, sizeof(tmp_h5)));
  PetscCall(HavocTempPath(comm, json, tmp_json, sizeof(tmp_json)));
  ierr = Run(comm, h, probes, steady, bolus, with_bolus, tissue, with_tissue, with_treatment ? treatment : NULL, &o, tmp_h5, tmp_json);
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
  if (!o.ck_keep) PetscCall(HavocCheckpointRemove(comm, o.out));
  if (!rank) {
    /* the XDMF description for ParaView, from the file just written (as havoc export xdmf would) */
    HavocPost p;
    PetscInt  ngrids;
    char      xdmf[PETSC_MAX_PATH_LEN];
    PetscCall(PetscSNPrintf(xdmf, sizeof(xdmf), "%s/result.xdmf", o.out));
    PetscCall(HavocPostOpen(o.out, "h5", &p));
    PetscCall(HavocPostWriteXdmf(&p, xdmf, &ngrids));
    PetscCall(HavocPostClose(&p));
  }
  PetscCall(PetscPrintf(comm, "havoc: results in %s/ (result.h5, summary.json, result.xdmf for ParaView)\n", o.out));
  PetscFunctionReturn(0);
}

PetscErrorCode HavocCmdRun(MPI_Comm comm, const HavocArgs *args)
{
  RunObjects     ob;
  PetscErrorCode ierr;

  PetscFunctionBeginUser;
  PetscCall(PetscMemzero(&ob, sizeof(ob)));
  PetscCall(HavocSignalsPush());
  ierr = RunCommand(comm, args, &ob);
  (void)HavocSignalsPop();
  /* on failure too: a sweep runs its cases one after the other in the same process */
  (void)TreatmentDestroy(&ob.treatment);
  (void)TissueDestroy(&ob.tissue);
  (void)BolusDestroy(&ob.bolus);
  (void)SteadyDestroy(&ob.steady);
  (void)HemoProbesDestroy(&ob.probes);
  (void)HemoDestroy(&ob.h);
  (void)HavocMeshDestroy(&ob.mesh);
  if (ierr) return ierr;
  PetscFunctionReturn(0);
}
