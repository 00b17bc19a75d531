/* Bolus: injection, Lagrangian gel slugs, lodging and microembolization. See bolus.h for the model and
   docs/model.md "The HA bolus" for the equations and their sources. */
#include "bolus.h"
#include "options.h"
#include "units.h"

#include <jansson.h>
#include <string.h>

const char *const HavocSlugStates[]   = {"moving", "lodged", "dissolved", "HavocSlugState", "HAVOC_SLUG_", NULL};
const char *const HavocLodgeReasons[] = {"none", "size", "yield", "HavocLodgeReason", "HAVOC_LODGE_", NULL};

/* The syringe's rate falls linearly to zero over the last CAP_RAMP of the cap: a stiff but explicit
   stand-in for "no faster than the cap can push". */
#define CAP_RAMP 0.02
/* The most a bed's resistance is raised: a fully embolized bed passes (practically) no flow. */
#define BED_BLOCKED 1e6

struct _p_Bolus {
  Hemo      h;
  MPI_Comm  comm;
  HavocMesh mesh;
  PetscBool active;

  /* options */
  char        vessel[HAVOC_NAME_LEN], product[HAVOC_NAME_LEN];
  PetscReal   position, point[3], snap_tol;
  PetscBool   point_set, vessel_set;
  PetscReal   volume, rate, duration, cap, start;
  PetscReal   acute_time, still_tol, transit, record_dt, v_min, venous;
  PetscInt    settle_cycles;
  HavocFiller f;

  /* the tip and what the run found */
  BolusInfo info;
  PetscInt  tip_lv, tip_cell;

  /* injection */
  PetscBool armed;
  PetscReal t_inject, q_inj, injected;

  /* slugs: the same list on every rank */
  HavocSlug *slug;
  PetscInt   nslug, maxslug, next_id;
  PetscReal *bed, *vcap;                  /* [nvessels] gel in the bed of a terminal vessel, its capillary volume */
  PetscBool *reached;                     /* [nvessels] */
  PetscReal *p0, *pL;                     /* [nvessels] healthy steady pressure at the two ends: how proximal a point is */
  PetscReal *q0;                          /* [nvessels] healthy steady flow */
  PetscReal *bed_x;                       /* [nvessels] HA fraction of the gel in a bed (treatment) */
  PetscReal  dissolved;                   /* gel dissolved by the enzyme [m^3] */
  char       restart[PETSC_MAX_PATH_LEN]; /* summary.json the gel is restored from, or "" */
  PetscBool  restored;

  /* this rank's cells */
  PetscInt  *local_of;                         /* [nvessels] local index or -1 */
  PetscReal *phi_b, *phi_d;                    /* [ncells_local] fraction of a cell under a Bingham plug / a wedged (Darcy) plug */
  PetscInt  *cell0;                            /* [nvessels local] first cell of each local vessel in phi */
  PetscReal *sig_f;                            /* [ncells_local + nvessels local] per face: drag rate of the gel */
  PetscReal (*oparam0)[HAVOC_OUTLET_MAXPARAM]; /* [nvertices] outlet parameters before embolization */

  /* the per-step reduction */
  PetscReal *buf;
  PetscInt   nbuf, ngather; /* slugs in the last reduction */

  /* settling */
  PetscReal next_cycle;
  PetscInt  still;

  /* trajectory record */
  HavocSlugRecord *rec;
  PetscInt         nrec, maxrec;
  PetscReal        next_rec;
};

PetscErrorCode BolusCreate(Hemo h, Bolus *bolus)
{
  Bolus b;

  PetscFunctionBeginUser;
  PetscCall(PetscNew(&b));
  b->h             = h;
  b->comm          = h->comm;
  b->position      = 0.5;
  b->snap_tol      = 1e-3;
  b->rate          = 0.1e-6; /* 0.1 mL/s */
  b->cap           = 100e3;
  b->venous        = 8 * 133.322;
  b->acute_time    = 30;
  b->still_tol     = 0.1e-3;
  b->transit       = 2;
  b->record_dt     = 0.01;
  b->settle_cycles = 2;
  b->tip_lv        = -1;
  PetscCall(PetscStrncpy(b->product, "juvederm_ultra_xc", sizeof(b->product)));
  *bolus = b;
  PetscFunctionReturn(0);
}

PetscErrorCode BolusSetFromOptions(Bolus b, PetscBool *active)
{
  char      point[256] = "", list[512];
  PetscBool vol_set, rate_set, dur_set, prod_set, found;
  PetscReal c = 0, tau = 0, mu = 0, frag = 0, k = 0, G = 0;
  PetscBool c_set, tau_set, mu_set, frag_set, k_set, G_set;

  PetscFunctionBeginUser;
  PetscCall(HavocFillerList(list, sizeof(list)));
  PetscOptionsBegin(b->comm, "bolus_", "HA filler bolus (docs/model.md, The HA bolus)", NULL);
  PetscCall(PetscOptionsString("-vessel", "vessel that holds the needle tip (its name in the network)", NULL, b->vessel, b->vessel, sizeof(b->vessel), &b->vessel_set));
  PetscCall(HavocOptionsQuantity("-position", "position of the tip along -bolus_vessel, as a fraction of its length from its x = 0 end", "", b->position, &b->position, NULL, 0, 1));
  PetscCall(PetscOptionsString("-point", "needle tip in the face frame, X,Y,Z [m] (e.g. '6,12,4 mm'), snapped to the nearest vessel whose lumen plus -bolus_snap_tolerance holds it; in no vessel: extravascular", NULL, point, point, sizeof(point), &b->point_set));
  PetscCall(HavocOptionsQuantity("-snap_tolerance", "how far outside a lumen a -bolus_point may be and still be in that vessel", "m", b->snap_tol, &b->snap_tol, NULL, 0, PETSC_MAX_REAL));
  PetscCall(HavocOptionsQuantity("-volume", "gel volume to inject", "m^3", b->volume, &b->volume, &vol_set, HAVOC_POSITIVE, PETSC_MAX_REAL));
  PetscCall(HavocOptionsQuantity("-rate", "plunger rate while the tip pressure is below the cap (default 0.1 mL/s)", "m^3 s^-1", b->rate, &b->rate, &rate_set, HAVOC_POSITIVE, PETSC_MAX_REAL));
  PetscCall(HavocOptionsQuantity("-duration", "injection time of the whole volume at the set rate (instead of -bolus_rate)", "s", b->duration, &b->duration, &dur_set, HAVOC_POSITIVE, PETSC_MAX_REAL));
  PetscCall(HavocOptionsQuantity("-pressure_cap", "most the injector can push at the tip (thumb force over plunger area: ~32 kPa per newton on a 1 mL glass syringe)", "Pa", b->cap, &b->cap, NULL, HAVOC_POSITIVE, PETSC_MAX_REAL));
  PetscCall(HavocOptionsQuantity("-venous_pressure", "venous pressure: the least a syringe must beat to push anything (or the network's outlet pressure if higher)", "Pa", b->venous, &b->venous, NULL, 0, PETSC_MAX_REAL));
  PetscCall(HavocOptionsQuantity("-start", "time of the injection after the healthy (periodic) phase", "s", b->start, &b->start, NULL, 0, PETSC_MAX_REAL));
  PetscCall(PetscOptionsString("-product", "filler product (its table values; each may be overridden below)", NULL, b->product, b->product, sizeof(b->product), &prod_set));
  PetscCall(HavocOptionsQuantity("-concentration", "HA concentration of the gel (default: the product's)", "kg m^-3", c, &c, &c_set, HAVOC_POSITIVE, 1000));
  PetscCall(HavocOptionsQuantity("-storage_modulus", "storage modulus G' (default: the product's; reported only)", "Pa", G, &G, &G_set, HAVOC_POSITIVE, PETSC_MAX_REAL));
  PetscCall(HavocOptionsQuantity("-yield_stress", "yield stress of the gel plug (default: 0.2 G' of the product)", "Pa", tau, &tau, &tau_set, 0, PETSC_MAX_REAL));
  PetscCall(HavocOptionsQuantity("-viscosity", "apparent viscosity of a moving gel plug (default: the product's)", "Pa s", mu, &mu, &mu_set, 0, PETSC_MAX_REAL));
  PetscCall(HavocOptionsQuantity("-fragment_size", "size of the fragments the gel breaks into; a lumen narrower than this wedges them (default: the product's)", "m", frag, &frag, &frag_set, HAVOC_POSITIVE, PETSC_MAX_REAL));
  PetscCall(HavocOptionsQuantity("-permeability", "Darcy permeability of the gel (default: the product's)", "m^2", k, &k, &k_set, HAVOC_POSITIVE, PETSC_MAX_REAL));
  PetscCall(HavocOptionsQuantity("-min_fragment_volume", "smallest share of a slug sent into a branch (0: the volume of one fragment, pi d^3 / 6)", "m^3", b->v_min, &b->v_min, NULL, 0, PETSC_MAX_REAL));
  PetscCall(HavocOptionsQuantity("-acute_time", "longest acute phase after the injection starts", "s", b->acute_time, &b->acute_time, NULL, HAVOC_POSITIVE, PETSC_MAX_REAL));
  PetscCall(HavocOptionsIntRange("-settle_cycles", "cardiac cycles without any slug moving that end the acute phase", b->settle_cycles, &b->settle_cycles, NULL, 1, 1000));
  PetscCall(HavocOptionsQuantity("-still_tolerance", "largest displacement over a cycle of a slug that counts as not moving", "m", b->still_tol, &b->still_tol, NULL, 0, PETSC_MAX_REAL));
  PetscCall(HavocOptionsQuantity("-bed_transit_time", "capillary transit time of a terminal bed: its capillary volume is this times its healthy flow", "s", b->transit, &b->transit, NULL, HAVOC_POSITIVE, PETSC_MAX_REAL));
  PetscCall(PetscOptionsString("-restart", "summary.json of a run of this case: restores its gel as it was at the end of the acute phase instead of injecting (with -run_phases steady)", NULL, b->restart, b->restart, sizeof(b->restart), NULL));
  PetscCall(HavocOptionsQuantity("-record_dt", "interval of the slug trajectory record", "s", b->record_dt, &b->record_dt, NULL, HAVOC_POSITIVE, PETSC_MAX_REAL));
  PetscOptionsEnd();

  b->active = (PetscBool)(b->vessel_set || b->point_set);
  *active   = b->active;
  if (!b->active) {
    HavocCheckUser(!vol_set && !rate_set && !dur_set && !prod_set, b->comm, "option -bolus_%s: a bolus needs a needle tip: give -bolus_vessel NAME or -bolus_point X,Y,Z", vol_set ? "volume" : rate_set ? "rate"
                                                                                                                                                                                              : dur_set  ? "duration"
                                                                                                                                                                                                         : "product");
    PetscFunctionReturn(0);
  }
  HavocCheckUser(!(b->vessel_set && b->point_set), b->comm, "options -bolus_vessel and -bolus_point: give one needle tip, not both");
  HavocCheckUser(vol_set, b->comm, "option -bolus_volume: a bolus needs its volume (e.g. -bolus_volume '0.1 mL')");
  HavocCheckUser(!(rate_set && dur_set), b->comm, "options -bolus_rate and -bolus_duration: give one of them, not both");
  if (dur_set) b->rate = b->volume / b->duration;
  if (b->point_set) PetscCall(HavocParsePoint(b->comm, "-bolus_point", point, 3, b->point));
  PetscCall(HavocFillerFind(b->product, &b->f, &found));
  HavocCheckUser(found, b->comm, "option -bolus_product: unknown product '%s' (expected one of: %s)", b->product, list);
  /* an option overrides the table value and its provenance (tag U) */
  if (c_set) {
    b->f.c_ha      = c;
    b->f.prov.c_ha = (HavocProvenance){"option -bolus_concentration", 'U'};
    if (!k_set && !b->f.particles) b->f.k = HavocFillerPermeability(c);
  }
  if (G_set) {
    b->f.G      = G;
    b->f.prov.G = (HavocProvenance){"option -bolus_storage_modulus", 'U'};
  }
  if (tau_set) {
    b->f.tau_y      = tau;
    b->f.prov.tau_y = (HavocProvenance){"option -bolus_yield_stress", 'U'};
  }
  if (mu_set) b->f.mu_gel = mu;
  if (frag_set) {
    b->f.fragment      = frag;
    b->f.prov.fragment = (HavocProvenance){"option -bolus_fragment_size", 'U'};
  }
  if (k_set) b->f.k = k;
  if (b->v_min == 0) b->v_min = PETSC_PI * PetscPowRealInt(b->f.fragment, 3) / 6;
  b->info.requested = b->volume;
  b->info.filler    = b->f;
  PetscFunctionReturn(0);
}

/* Radius of the reference lumen at arc position x. */
static PetscReal VesselRadius(const HavocMeshVessel *v, PetscReal x)
{
  return v->r_prox + (v->r_dist - v->r_prox) * PetscMin(PetscMax(x / v->length, 0), 1);
}

/* Darcy permeability of a slug's gel with HA fraction x. */
static PetscReal SlugPermeability(Bolus b, const HavocSlug *sl)
{
  return b->f.k * PetscPowReal(PetscMax(sl->x, 1e-3), -1.5);
}

/* The polyline of a vessel: node, interior points, node. */
static void PolyPoint(HavocMesh mesh, const HavocMeshVessel *v, PetscInt i, PetscReal p[3])
{
  const PetscReal *src = i == 0 ? mesh->nodes[v->from].x : i == v->npoints + 1 ? mesh->nodes[v->to].x
                                                                               : &mesh->points[3 * (v->points_offset + i - 1)];
  for (int d = 0; d < 3; d++)
    p[d] = src[d];
}

/* Nearest point of a vessel's centreline to x: distance and arc position (the length scaled to the
   polyline). */
static void NearestOnVessel(HavocMesh mesh, const HavocMeshVessel *v, const PetscReal x[3], PetscReal *dist, PetscReal *arc)
{
  PetscReal total = 0, best = PETSC_MAX_REAL, best_s = 0, a[3], c[3];

  PolyPoint(mesh, v, 0, a);
  for (PetscInt i = 1; i <= v->npoints + 1; i++) {
    PetscReal ab[3], ax[3], L2 = 0, t = 0, d2 = 0, L;
    PolyPoint(mesh, v, i, c);
    for (int d = 0; d < 3; d++) {
      ab[d] = c[d] - a[d];
      ax[d] = x[d] - a[d];
      L2 += ab[d] * ab[d];
      t += ab[d] * ax[d];
    }
    t = L2 > 0 ? PetscMin(PetscMax(t / L2, 0), 1) : 0;
    for (int d = 0; d < 3; d++)
      d2 += PetscSqr(ax[d] - t * ab[d]);
    L = PetscSqrtReal(L2);
    if (d2 < best) {
      best   = d2;
      best_s = total + t * L;
    }
    total += L;
    for (int d = 0; d < 3; d++)
      a[d] = c[d];
  }
  *dist = PetscSqrtReal(best);
  *arc  = total > 0 ? best_s / total * v->length : 0;
}

static PetscErrorCode PlaceTip(Bolus b)
{
  HavocMesh mesh = b->mesh;

  PetscFunctionBeginUser;
  b->info.tip_vessel = -1;
  if (b->vessel_set) {
    PetscCall(HavocMeshFindVessel(mesh, b->vessel, &b->info.tip_vessel));
    HavocCheckUser(b->info.tip_vessel >= 0, b->comm, "option -bolus_vessel: no vessel '%s' in %s", b->vessel, mesh->path);
    b->info.tip_x = b->position * mesh->vessels[b->info.tip_vessel].length;
    PetscFunctionReturn(0);
  }
  {
    /* the face frame: the box of the network's nodes, points and landmarks, 10 mm wider on every side */
    PetscReal lo[3] = {PETSC_MAX_REAL, PETSC_MAX_REAL, PETSC_MAX_REAL}, hi[3] = {-PETSC_MAX_REAL, -PETSC_MAX_REAL, -PETSC_MAX_REAL}, best = PETSC_MAX_REAL, best_d = 0, best_r = 0;
    PetscInt  nearest = -1;
    for (PetscInt n = 0; n < mesh->nnodes + mesh->npoints + mesh->nlandmarks; n++) {
      const PetscReal *p = n < mesh->nnodes ? mesh->nodes[n].x : n < mesh->nnodes + mesh->npoints ? &mesh->points[3 * (n - mesh->nnodes)]
                                                                                                  : mesh->landmarks[n - mesh->nnodes - mesh->npoints].x;
      for (int d = 0; d < 3; d++) {
        lo[d] = PetscMin(lo[d], p[d] - 10e-3);
        hi[d] = PetscMax(hi[d], p[d] + 10e-3);
      }
    }
    for (int d = 0; d < 3; d++)
      HavocCheckUser(b->point[d] >= lo[d] && b->point[d] <= hi[d], b->comm, "option -bolus_point: (%.4g, %.4g, %.4g) mm is outside the face frame of %s: %c must lie in [%.4g, %.4g] mm", 1e3 * b->point[0], 1e3 * b->point[1], 1e3 * b->point[2], mesh->path, "xyz"[d], 1e3 * lo[d], 1e3 * hi[d]);
    for (PetscInt i = 0; i < mesh->nvessels; i++) {
      PetscReal d, s, r;
      NearestOnVessel(mesh, &mesh->vessels[i], b->point, &d, &s);
      r = VesselRadius(&mesh->vessels[i], s);
      if (d - r < best) {
        best          = d - r;
        nearest       = i;
        best_d        = d;
        best_r        = r;
        b->info.tip_x = s;
      }
    }
    b->info.snap_distance = best_d;
    if (best <= b->snap_tol) b->info.tip_vessel = nearest;
    else {
      b->info.extravascular = PETSC_TRUE;
      PetscCall(PetscPrintf(b->comm, "havoc: bolus: the needle tip (%.4g, %.4g, %.4g) mm is in no vessel (nearest: '%s', %.3g mm from its centreline, lumen radius %.3g mm): an extravascular injection, nothing embolizes\n", 1e3 * b->point[0], 1e3 * b->point[1], 1e3 * b->point[2], mesh->vessels[nearest].name, 1e3 * best_d, 1e3 * best_r));
    }
  }
  PetscFunctionReturn(0);
}

/* How much the resistance of the bed of terminal vessel i has risen: the fraction phi = V_gel / V_cap of its
   capillaries is blocked, its conductance falls in proportion. */
static PetscReal BedFactor(Bolus b, PetscInt i)
{
  const PetscReal phi = b->vcap[i] > 0 ? b->bed[i] / b->vcap[i] : 1;

  return phi < 1 ? PetscMin(1 / (1 - phi), BED_BLOCKED) : BED_BLOCKED;
}

static PetscErrorCode CellHook(Hemo h, PetscInt lv, PetscReal dt, void *ctx);
static PetscErrorCode Monitor(Hemo h, void *ctx);

static PetscErrorCode AddSlug(Bolus b, PetscInt vessel, PetscReal xa, PetscReal xb, PetscReal V, PetscInt parent, PetscInt *index);
static void           Cover(Bolus b);

/* The gel of the summary.json of an earlier run of the case (its "bolus" object: "lodged" slugs and
   "terminal_beds"), as it was at the end of that run's acute phase. Every rank reads the file. */
static PetscErrorCode Restore(Bolus b)
{
  HavocMesh    mesh = b->mesh;
  json_error_t jerr;
  json_t      *root = json_load_file(b->restart, 0, &jerr), *jb, *lodged, *beds, *prod, *item;
  size_t       i;
  const char  *file = b->restart;

  PetscFunctionBeginUser;
  HavocCheckUser(root, b->comm, "option -bolus_restart: %s: %s%s", file, jerr.text, jerr.line > 0 ? " (not JSON)" : "");
  jb = json_object_get(root, "bolus");
  HavocCheckUser(json_is_object(jb), b->comm, "option -bolus_restart: %s has no \"bolus\" object: it is not the summary.json of a run with a bolus", file);
  HavocCheckUser(!json_object_get(root, "treatment"), b->comm, "option -bolus_restart: %s is the summary of a treated run; restart from an untreated one (the acute phase's gel)", file);
  prod = json_object_get(jb, "product");
  HavocCheckUser(json_is_string(json_object_get(prod, "name")) && !strcmp(json_string_value(json_object_get(prod, "name")), b->f.name), b->comm, "option -bolus_restart: %s: its gel is '%s', the case's -bolus_product is '%s'", file, json_is_string(json_object_get(prod, "name")) ? json_string_value(json_object_get(prod, "name")) : "?", b->f.name);
  lodged = json_object_get(jb, "lodged");
  beds   = json_object_get(jb, "terminal_beds");
  HavocCheckUser(json_is_array(lodged) && json_is_array(beds), b->comm, "option -bolus_restart: %s: the bolus object has no \"lodged\" or \"terminal_beds\" list", file);
  json_array_foreach(lodged, i, item)
  {
    const char     *name = json_string_value(json_object_get(item, "vessel")), *how = json_string_value(json_object_get(item, "lodged_by"));
    const PetscReal xa = json_number_value(json_object_get(item, "from_m")), xb = json_number_value(json_object_get(item, "to_m")), V = json_number_value(json_object_get(item, "volume_m3"));
    PetscInt        v = -1, k;
    if (name) PetscCall(HavocMeshFindVessel(mesh, name, &v));
    HavocCheckUser(v >= 0, b->comm, "option -bolus_restart: %s: lodged slug %d: vessel '%s' is not in %s", file, (int)i, name ? name : "(none)", mesh->path);
    HavocCheckUser(xa >= 0 && xb >= xa && xb <= mesh->vessels[v].length * (1 + 1e-9) && V > 0, b->comm, "option -bolus_restart: %s: lodged slug %d in '%s': span [%g, %g] m, volume %g m^3 do not fit the vessel (length %g m)", file, (int)i, name, (double)xa, (double)xb, (double)V, (double)mesh->vessels[v].length);
    PetscCall(AddSlug(b, v, xa, PetscMin(xb, mesh->vessels[v].length), V, -1, &k));
    b->slug[k].state  = HAVOC_SLUG_LODGED;
    b->slug[k].reason = how && !strcmp(how, "size") ? HAVOC_LODGE_SIZE : HAVOC_LODGE_YIELD;
    b->injected += V;
  }
  json_array_foreach(beds, i, item)
  {
    const char     *name = json_string_value(json_object_get(item, "vessel"));
    const PetscReal V    = json_number_value(json_object_get(item, "volume_m3"));
    PetscInt        v    = -1;
    if (name) PetscCall(HavocMeshFindVessel(mesh, name, &v));
    HavocCheckUser(v >= 0 && mesh->vessels[v].outlet_type >= 0 && V >= 0, b->comm, "option -bolus_restart: %s: terminal bed %d: '%s' is not a terminal vessel of %s with a volume >= 0", file, (int)i, name ? name : "(none)", mesh->path);
    b->bed[v] += V;
    b->reached[v] = PETSC_TRUE;
    b->injected += V;
  }
  json_decref(root);
  b->info.complete = PETSC_TRUE;
  b->info.settled  = PETSC_TRUE;
  b->restored      = PETSC_TRUE;
  Cover(b);
  PetscFunctionReturn(0);
}

PetscErrorCode BolusSetUp(Bolus b, const PetscReal base_q[], const PetscReal base_p0[], const PetscReal base_pL[])
{
  Hemo      h = b->h;
  Network   net;
  HavocMesh mesh;
  PetscReal p_venous = b->venous;
  PetscInt  at = -1, ncell = 0;

  PetscFunctionBeginUser;
  if (!b->active) PetscFunctionReturn(0);
  net     = h->net;
  mesh    = h->mesh;
  b->mesh = mesh;
  PetscCall(PlaceTip(b));
  /* the cap must beat the venous side, or the syringe could not push anything into any artery */
  for (PetscInt i = 0; i < mesh->nvessels; i++) {
    const HavocMeshVessel *v = &mesh->vessels[i];
    const HavocOutletType *type;
    PetscReal              R, p_out;
    PetscBool              ok;
    if (v->outlet_type < 0) continue;
    PetscCall(HavocOutletGet(v->outlet_type, &type));
    if (!type->steady) continue;
    type->steady(v->outlet_param, &R, &p_out, &ok);
    if (ok && p_out > p_venous) {
      p_venous = p_out;
      at       = i;
    }
  }
  HavocCheckUser(b->cap > p_venous, b->comm, "option -bolus_pressure_cap: %.4g Pa (%.3g mmHg) is below the venous pressure %.4g Pa (%s): the syringe could not push gel into any vessel", (double)b->cap, (double)(b->cap / 133.322), (double)p_venous, at >= 0 ? "the outlet pressure of the network" : "-bolus_venous_pressure");

  PetscCall(PetscCalloc5(mesh->nvessels, &b->bed, mesh->nvessels, &b->vcap, mesh->nvessels, &b->reached, mesh->nvessels, &b->p0, mesh->nvessels, &b->pL));
  PetscCall(PetscArraycpy(b->p0, base_p0, mesh->nvessels));
  PetscCall(PetscMalloc2(mesh->nvessels, &b->q0, mesh->nvessels, &b->bed_x));
  PetscCall(PetscArraycpy(b->q0, base_q, mesh->nvessels));
  for (PetscInt i = 0; i < mesh->nvessels; i++)
    b->bed_x[i] = 1;
  PetscCall(PetscArraycpy(b->pL, base_pL, mesh->nvessels));
  PetscCall(PetscMalloc2(mesh->nvessels, &b->local_of, net->nvessels, &b->cell0));
  PetscCall(PetscCalloc1(net->nvertices, &b->oparam0));
  for (PetscInt i = 0; i < mesh->nvessels; i++) {
    b->local_of[i] = -1;
    if (mesh->vessels[i].outlet_type >= 0) b->vcap[i] = PetscAbsReal(base_q[i]) * b->transit;
  }
  for (PetscInt lv = 0; lv < net->nvessels; lv++) {
    b->local_of[net->vessels[lv].vessel] = lv;
    b->cell0[lv]                         = ncell;
    ncell += net->vessels[lv].ncells;
  }
  PetscCall(PetscCalloc3(ncell, &b->phi_b, ncell, &b->phi_d, ncell + net->nvessels, &b->sig_f));
  for (PetscInt k = 0; k < net->nvertices; k++)
    PetscCall(PetscArraycpy(b->oparam0[k], h->oparam[k], HAVOC_OUTLET_MAXPARAM));
  if (b->info.tip_vessel >= 0) {
    b->tip_lv = b->local_of[b->info.tip_vessel];
    if (b->tip_lv >= 0) {
      const NetworkVessel *nv = &net->vessels[b->tip_lv];
      b->tip_cell             = PetscMin((PetscInt)(b->info.tip_x / nv->dx), nv->ncells - 1);
    }
  }
  b->info.proximal_vessel   = -1;
  b->info.proximal_pressure = -PETSC_MAX_REAL;
  PetscCall(HemoSetCellHook(h, CellHook, b));
  PetscCall(HemoMonitorAdd(h, Monitor, b));
  if (b->restart[0]) PetscCall(Restore(b));
  PetscFunctionReturn(0);
}

PetscErrorCode BolusStart(Bolus b)
{
  Hemo h = b->h;

  PetscFunctionBeginUser;
  if (!b->active) PetscFunctionReturn(0);
  b->armed        = (PetscBool)!b->info.extravascular;
  b->t_inject     = h->t + b->start;
  b->info.t_start = b->t_inject;
  b->next_rec     = b->t_inject;
  b->next_cycle   = h->t + (h->inlet->period > 0 ? h->inlet->period : 1);
  h->t_end        = b->t_inject + b->acute_time;
  h->stop         = PETSC_FALSE;
  PetscFunctionReturn(0);
}

/* -------------------------------------------------------------------------------------------------- */
/* The cells under the gel: Bingham plug drag (point-implicit, after the blood friction of the sweep),
   Darcy drag under wedged gel, and the syringe's volume in the cell of the tip. */
static PetscErrorCode CellHook(Hemo h, PetscInt lv, PetscReal dt, void *ctx)
{
  Bolus            b  = (Bolus)ctx;
  HavocVessel     *v  = &h->kv[lv];
  const PetscReal *pb = b->phi_b + b->cell0[lv], *pd = b->phi_d + b->cell0[lv];
  const PetscReal  tau = b->f.tau_y, rho = h->rho;
  const PetscReal  Kg = 8 * PETSC_PI * b->f.mu_gel / rho, Kd = h->mu / (rho * b->f.k);

  PetscFunctionBeginUser;
  if (lv == b->tip_lv && b->q_inj > 0) {
    v->A[b->tip_cell] += dt * b->q_inj / v->dx;
    h->vol_in += dt * b->q_inj;
  }
  for (PetscInt c = 0; c < v->M; c++) {
    const PetscReal fb = pb[c], fd = pd[c];
    PetscReal       A, Q, Y, rate;
    if (fb == 0 && fd == 0) continue;
    A       = v->A[c];
    Q       = v->Q[c] * (1 + dt * v->KR / A); /* the flow before the blood friction of the sweep */
    Y       = fb * dt * (A / rho) * 2 * tau / PetscSqrtReal(A / PETSC_PI);
    Q       = PetscAbsReal(Q) <= Y ? 0 : Q - PetscCopysignReal(Y, Q);
    rate    = (1 - fb - fd) * v->KR / A + fb * Kg / A + fd * Kd;
    v->Q[c] = Q / (1 + dt * PetscMax(rate, 0));
  }
  PetscFunctionReturn(0);
}

/* -------------------------------------------------------------------------------------------------- */
/* Per-step data: for every slug the mean velocity of its covered cells on either side of its split point
   and its mean lumen; for every vessel the flow and area at both ends; the tip pressure. */
enum { S_ULO,
       S_UHI,
       S_HLO,
       S_HHI,
       S_ABAR,
       S_N };
enum { E_Q0,
       E_QL,
       E_A0,
       E_AL,
       E_N };

/* The length-weighted mean lumen over the cells of local vessel lv under [x0, x1]. */
static PetscReal MeanArea(Hemo h, PetscInt lv, PetscReal x0, PetscReal x1)
{
  const HavocVessel *v  = &h->kv[lv];
  const PetscInt     c0 = PetscMin(PetscMax((PetscInt)(x0 / v->dx), 0), v->M - 1);
  const PetscInt     c1 = PetscMin(PetscMax((PetscInt)(x1 / v->dx), 0), v->M - 1);
  PetscReal          sa = 0, sw = 0;

  for (PetscInt c = c0; c <= c1; c++) {
    const PetscReal w = c0 == c1 ? 1 : PetscMin(x1, (c + 1) * v->dx) - PetscMax(x0, c * v->dx);
    if (w <= 0) continue;
    sa += w * v->A[c];
    sw += w;
  }
  return sw > 0 ? sa / sw : v->A[c0];
}

/* The cell just beyond a slug's end x (e = 0: its lower end, 1: its upper end): the first cell wholly
   outside it, or -1 / M (the vessel's end faces) when the slug reaches an end. The gel column is
   incompressible, so its end goes where the blood it displaces (or that pushes it) goes: a slug never
   outruns the volume flux of the network, and the injected gel leaves the tip the way the injected volume
   does. The heads there are what pushes on the plug. */
static PetscInt OutsideCell(const HavocVessel *v, PetscReal x, PetscInt e)
{
  const PetscInt c = (PetscInt)PetscFloorReal(x / v->dx) + (e ? 1 : -1);

  return PetscMin(PetscMax(c, -1), v->M);
}

static PetscReal OutsideVelocity(Hemo h, PetscInt lv, PetscInt c)
{
  const HavocVessel *v = &h->kv[lv];

  if (c >= 0 && c < v->M) return v->Q[c] / v->A[c];
  return h->ends[lv][c >= 0].Q / h->ends[lv][c >= 0].A;
}

static PetscErrorCode Gather(Bolus b)
{
  Hemo           h    = b->h;
  HavocMesh      mesh = b->mesh;
  const PetscInt ns = b->nslug, nv = mesh->nvessels, n = S_N * ns + E_N * nv + 1;

  PetscFunctionBeginUser;
  if (n > b->nbuf) {
    PetscCall(PetscFree(b->buf));
    b->nbuf = 2 * n;
    PetscCall(PetscMalloc1(b->nbuf, &b->buf));
  }
  PetscCall(PetscArrayzero(b->buf, n));
  for (PetscInt k = 0; k < ns; k++) {
    const HavocSlug *s  = &b->slug[k];
    const PetscInt   lv = b->local_of[s->vessel];
    PetscReal       *o  = b->buf + S_N * k;
    PetscInt         ca, cb;
    if (lv < 0) continue;
    ca        = OutsideCell(&h->kv[lv], s->xa, 0);
    cb        = OutsideCell(&h->kv[lv], s->xb, 1);
    o[S_ULO]  = OutsideVelocity(h, lv, ca);
    o[S_UHI]  = OutsideVelocity(h, lv, cb);
    o[S_HLO]  = HemoHead(h, lv, ca);
    o[S_HHI]  = HemoHead(h, lv, cb);
    o[S_ABAR] = MeanArea(h, lv, s->xa, s->xb);
  }
  for (PetscInt lv = 0; lv < h->net->nvessels; lv++) {
    PetscReal *o = b->buf + S_N * ns + E_N * h->net->vessels[lv].vessel;
    o[E_Q0]      = h->ends[lv][0].Q;
    o[E_QL]      = h->ends[lv][1].Q;
    o[E_A0]      = h->ends[lv][0].A;
    o[E_AL]      = h->ends[lv][1].A;
  }
  if (b->tip_lv >= 0) b->buf[n - 1] = HemoCellPressure(h, b->tip_lv, b->tip_cell);
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, b->buf, (PetscMPIInt)n, MPIU_REAL, MPIU_SUM, b->comm));
  b->ngather = ns;
  PetscFunctionReturn(0);
}

/* Makes room for one more element of size `size` in *array (n used of *max); doubles the capacity. */
static PetscErrorCode Grow(void **array, size_t size, PetscInt n, PetscInt *max, PetscInt min)
{
  PetscFunctionBeginUser;
  if (n < *max) PetscFunctionReturn(0);
  *max = PetscMax(min, 2 * *max);
  PetscCall(PetscRealloc(size * (size_t)*max, array));
  PetscFunctionReturn(0);
}

static PetscErrorCode AddSlug(Bolus b, PetscInt vessel, PetscReal xa, PetscReal xb, PetscReal V, PetscInt parent, PetscInt *index)
{
  HavocSlug *s;

  PetscFunctionBeginUser;
  PetscCall(Grow((void **)&b->slug, sizeof(HavocSlug), b->nslug, &b->maxslug, 16));
  s = &b->slug[b->nslug];
  PetscCall(PetscMemzero(s, sizeof(*s)));
  s->id              = b->next_id++;
  s->parent          = parent;
  s->vessel          = vessel;
  s->xa              = xa;
  s->xb              = xb;
  s->V               = V;
  s->state           = HAVOC_SLUG_MOVING;
  s->reason          = HAVOC_LODGE_NONE;
  s->x_cycle         = -1;
  s->v_cycle         = -1;
  s->x               = 1;
  b->reached[vessel] = PETSC_TRUE;
  *index             = b->nslug++;
  PetscFunctionReturn(0);
}

/* The length of a slug from its volume over its mean lumen, around a fixed point: its end e (0: xa, 1: xb)
   stays where it is, or with e = -1 the ends take the change by the velocities u[2] of the gel at them:
   a slug that must lengthen grows at the ends moving outwards (gel arriving at one end pushes the other
   one on, it does not flow back against the blood), one that must shorten gives way at the ends moving
   inwards; with no such end, both ends share the change. */
static void SetLength(HavocSlug *s, PetscReal Abar, PetscInt e, const PetscReal u[2])
{
  const PetscReal l = s->V / Abar;

  if (e == 0) s->xb = s->xa + l;
  else if (e == 1) s->xa = s->xb - l;
  else {
    const PetscReal d = l - (s->xb - s->xa), sg = d > 0 ? 1 : -1;
    const PetscReal w0 = PetscMax(-sg * u[0], 0), w1 = PetscMax(sg * u[1], 0), ws = w0 + w1;
    s->xa -= ws > 0 ? d * w0 / ws : 0.5 * d;
    s->xb += ws > 0 ? d * w1 / ws : 0.5 * d;
  }
}

/* Gel V arriving at end e (0: x = 0, 1: x = L) of a vessel from a node: it joins the slug touching that end
   or starts one; a lumen narrower than a fragment wedges it at the entrance. */
static PetscErrorCode Deposit(Bolus b, PetscInt vessel, PetscInt e, PetscReal V, PetscReal A_end, PetscInt parent)
{
  const HavocMeshVessel *mv = &b->mesh->vessels[vessel];
  const PetscReal        L = mv->length, touch = L / b->h->net->vessel_cells[vessel];
  const PetscBool        wedge = (PetscBool)(2 * VesselRadius(mv, e ? L : 0) < b->f.fragment);
  PetscInt               k;

  PetscFunctionBeginUser;
  for (k = 0; k < b->nslug; k++) {
    HavocSlug *s = &b->slug[k];
    if (s->vessel != vessel || (wedge != (s->reason == HAVOC_LODGE_SIZE))) continue;
    if (e == 0 && s->xa <= touch) break;
    if (e == 1 && s->xb >= L - touch) break;
  }
  if (k < b->nslug) {
    HavocSlug      *s    = &b->slug[k];
    const PetscReal Abar = s->V / PetscMax(s->xb - s->xa, PETSC_SMALL * L);
    s->V += V;
    if (e == 0) s->xa = 0;
    else s->xb = L;
    SetLength(s, wedge ? A_end : (s->V - V > 0 ? Abar : A_end), e, NULL);
    s->xa = PetscMax(s->xa, 0); /* a slug longer than its vessel fills it and passes the rest at the next step */
    s->xb = PetscMin(s->xb, L);
  } else {
    const PetscReal l = PetscMin(V / A_end, L);
    PetscCall(AddSlug(b, vessel, e ? L - l : 0, e ? L : l, V, parent, &k));
  }
  if (wedge) {
    b->slug[k].state  = HAVOC_SLUG_LODGED;
    b->slug[k].reason = HAVOC_LODGE_SIZE;
  }
  PetscFunctionReturn(0);
}

/* Gel V leaving vessel `from` at its end e into the node there. */
static PetscErrorCode PassNode(Bolus b, PetscInt from, PetscInt e, PetscReal V, PetscReal V_parent, PetscInt parent, PetscBool *held)
{
  HavocMesh              mesh = b->mesh;
  const HavocMeshVessel *mv   = &mesh->vessels[from];
  const PetscInt         node = e ? mv->to : mv->from;
  const PetscReal       *ends = b->buf + S_N * b->ngather;
  PetscInt               nb = 0, vk[HAVOC_MAX_DEGREE], ek[HAVOC_MAX_DEGREE], big = -1;
  PetscReal              qk[HAVOC_MAX_DEGREE], total = 0, elig = 0;

  PetscFunctionBeginUser;
  *held = PETSC_FALSE;
  if (mesh->nodes[node].outlet >= 0) {
    b->bed[from] += V;
    PetscFunctionReturn(0);
  }
  if (mesh->nodes[node].inlet >= 0) {
    *held = PETSC_TRUE;
    PetscFunctionReturn(0);
  }
  for (PetscInt i = 0; i < mesh->nvessels && nb < HAVOC_MAX_DEGREE; i++)
    for (PetscInt f = 0; f < 2; f++) {
      const PetscInt  n = f ? mesh->vessels[i].to : mesh->vessels[i].from;
      const PetscReal q = f ? -ends[E_N * i + E_QL] : ends[E_N * i + E_Q0]; /* away from the node */
      if (n != node || (i == from && f == e) || !(q > 0)) continue;
      vk[nb] = i;
      ek[nb] = f;
      qk[nb] = q;
      total += q;
      if (big < 0 || q > qk[big]) big = nb;
      nb++;
    }
  if (!nb) {
    *held = PETSC_TRUE;
    PetscFunctionReturn(0);
  }
  /* a branch gets a share only if that share of the whole slug makes at least one fragment */
  for (PetscInt j = 0; j < nb; j++)
    if (qk[j] / total * V_parent >= b->v_min) elig += qk[j];
  for (PetscInt j = 0; j < nb; j++) {
    const PetscBool ok    = elig > 0 ? (PetscBool)(qk[j] / total * V_parent >= b->v_min) : (PetscBool)(j == big);
    const PetscReal share = elig > 0 ? qk[j] / elig : 1;
    if (ok) PetscCall(Deposit(b, vk[j], ek[j], share * V, ends[E_N * vk[j] + (ek[j] ? E_AL : E_A0)], parent));
  }
  PetscFunctionReturn(0);
}

static int CompareSlugs(const void *a, const void *b)
{
  const HavocSlug *s = (const HavocSlug *)a, *t = (const HavocSlug *)b;

  if (s->vessel != t->vessel) return s->vessel < t->vessel ? -1 : 1;
  if (s->xa != t->xa) return s->xa < t->xa ? -1 : 1;
  return s->id < t->id ? -1 : s->id > t->id;
}

/* Slugs that overlap in a vessel become one (a moving slug that runs into a lodged one stops behind it). */
static void Merge(Bolus b)
{
  PetscInt n = 0;

  if (b->nslug > 1) qsort(b->slug, (size_t)b->nslug, sizeof(HavocSlug), CompareSlugs);
  for (PetscInt k = 0; k < b->nslug; k++) {
    HavocSlug *s = &b->slug[k];
    if (s->V <= 0) continue;
    if (n > 0) {
      HavocSlug *p = &b->slug[n - 1];
      if (p->vessel == s->vessel && s->xa < p->xb) {
        const PetscReal V = p->V + s->V, cp = 0.5 * (p->xa + p->xb), cs = 0.5 * (s->xa + s->xb);
        const PetscReal l = (p->xb - p->xa) + (s->xb - s->xa), c = (cp * p->V + cs * s->V) / V;
        if (s->state == HAVOC_SLUG_LODGED && p->state != HAVOC_SLUG_LODGED) {
          p->state  = s->state;
          p->reason = s->reason;
        }
        p->at_tip  = (PetscBool)(p->at_tip || s->at_tip);
        p->id      = PetscMin(p->id, s->id);
        p->V       = V;
        p->xa      = c - 0.5 * l;
        p->xb      = c + 0.5 * l;
        p->x_cycle = -1;
        {
          /* inside its vessel; one longer than it fills it and passes the rest at the next step */
          const PetscReal L = b->mesh->vessels[p->vessel].length, shift = p->xa < 0 ? -p->xa : (p->xb > L ? L - p->xb : 0);
          p->xa = PetscMax(p->xa + shift, 0);
          p->xb = PetscMin(p->xb + shift, L);
        }
        continue;
      }
    }
    b->slug[n++] = *s;
  }
  b->nslug = n;
}

static PetscErrorCode Record(Bolus b, PetscReal t)
{
  PetscFunctionBeginUser;
  for (PetscInt k = 0; k < b->nslug; k++) {
    HavocSlugRecord *r;
    PetscCall(Grow((void **)&b->rec, sizeof(HavocSlugRecord), b->nrec, &b->maxrec, 256));
    r         = &b->rec[b->nrec++];
    r->t      = t;
    r->id     = b->slug[k].id;
    r->vessel = b->slug[k].vessel;
    r->xa     = b->slug[k].xa;
    r->xb     = b->slug[k].xb;
    r->V      = b->slug[k].V;
    r->state  = b->slug[k].state;
  }
  PetscFunctionReturn(0);
}

/* Coverage of this rank's cells and the beds' resistances, from the slug list. */
static void Cover(Bolus b)
{
  Hemo      h    = b->h;
  HavocMesh mesh = b->mesh;
  Network   net  = h->net;

  PetscArrayzero(b->phi_b, net->ncells_local);
  PetscArrayzero(b->phi_d, net->ncells_local);
  for (PetscInt k = 0; k < b->nslug; k++) {
    const HavocSlug *s  = &b->slug[k];
    const PetscInt   lv = b->local_of[s->vessel];
    PetscReal       *phi;
    PetscReal        dx;
    if (lv < 0 || s->state == HAVOC_SLUG_DISSOLVED) continue;
    phi = (s->reason == HAVOC_LODGE_SIZE || s->held ? b->phi_d : b->phi_b) + b->cell0[lv];
    dx  = net->vessels[lv].dx;
    for (PetscInt c = PetscMax((PetscInt)(s->xa / dx), 0); c < net->vessels[lv].ncells && c * dx < s->xb; c++) {
      const PetscReal w = PetscMin(s->xb, (c + 1) * dx) - PetscMax(s->xa, c * dx);
      if (w > 0) phi[c] += w / dx;
    }
  }
  for (PetscInt c = 0; c < net->ncells_local; c++) {
    b->phi_d[c] = PetscMin(b->phi_d[c], 1);
    b->phi_b[c] = PetscMin(b->phi_b[c], 1 - b->phi_d[c]);
  }
  /* the faces: the stiffer drag of the two cells */
  for (PetscInt lv = 0; lv < net->nvessels; lv++) {
    HavocVessel     *v  = &h->kv[lv];
    const PetscReal *pb = b->phi_b + b->cell0[lv], *pd = b->phi_d + b->cell0[lv];
    PetscReal       *sig = b->sig_f + b->cell0[lv] + lv;
    PetscBool        any = PETSC_FALSE;
    for (PetscInt c = 0; c < v->M && !any; c++)
      any = (PetscBool)(pb[c] > 0 || pd[c] > 0);
    v->gel_sigma = any ? sig : NULL;
    if (!any) continue;
    for (PetscInt j = 0; j <= v->M; j++) {
      sig[j] = 0;
      for (PetscInt c = PetscMax(j - 1, 0); c <= PetscMin(j, v->M - 1); c++)
        sig[j] = PetscMax(sig[j], pb[c] * 8 * PETSC_PI * b->f.mu_gel / (h->rho * v->A[c]) + pd[c] * h->mu / (h->rho * b->f.k));
    }
  }
  /* an embolized bed: the fraction phi of its capillaries is blocked, its conductance falls in proportion */
  for (PetscInt k = 0; k < net->nvertices; k++) {
    const NetworkVertex   *vx = &net->vertices[k];
    const HavocMeshVessel *mv;
    const HavocOutletType *type;
    PetscInt               i;
    PetscReal              factor;
    if (vx->kind != NETWORK_OUTLET) continue;
    i  = mesh->nodes[vx->node].outlet;
    mv = &mesh->vessels[i];
    if (b->bed[i] <= 0) continue;
    factor = BedFactor(b, i);
    if (HavocOutletGet(mv->outlet_type, &type)) continue;
    for (PetscInt p = 0; p < type->nparam; p++)
      if (!strcmp(type->param[p].unit, "Pa s m^-3")) h->oparam[k][p] = b->oparam0[k][p] * factor;
  }
}

static PetscErrorCode Monitor(Hemo h, void *ctx)
{
  Bolus           b    = (Bolus)ctx;
  HavocMesh       mesh = b->mesh;
  const PetscReal dt   = h->dt;
  PetscInt        n0;
  PetscReal      *ends;

  PetscFunctionBeginUser;
  if (!b->armed) PetscFunctionReturn(0);
  /* 1. the gel that left the needle during the step joins the slug at the tip */
  if (b->q_inj > 0) {
    const PetscReal dV = b->q_inj * dt;
    PetscInt        k;
    for (k = 0; k < b->nslug; k++) {
      const HavocSlug *s = &b->slug[k];
      if (s->vessel == b->info.tip_vessel && s->xa <= b->info.tip_x && s->xb >= b->info.tip_x && s->reason != HAVOC_LODGE_SIZE) break;
    }
    if (k == b->nslug) PetscCall(AddSlug(b, b->info.tip_vessel, b->info.tip_x, b->info.tip_x, 0, -1, &k));
    b->slug[k].V += dV;
    b->slug[k].at_tip = PETSC_TRUE;
    b->injected += dV;
    if (b->injected >= b->volume * (1 - 1e-12)) b->info.complete = PETSC_TRUE;
    b->info.injection_time = h->t - b->t_inject;
  }
  if (b->info.complete)
    for (PetscInt k = 0; k < b->nslug; k++)
      b->slug[k].at_tip = PETSC_FALSE;

  PetscCall(Gather(b));
  ends = b->buf + S_N * b->nslug;

  /* 2. motion: a plug moves only if the heads on its two sides differ by more than its yield pressure
        difference 2 tau_y l / r (the syringe's own slug always moves); then each end goes with the blood
        beyond it, and the length follows from the volume */
  n0 = b->nslug;
  for (PetscInt k = 0; k < n0; k++) {
    HavocSlug       *s    = &b->slug[k];
    const PetscReal *o    = b->buf + S_N * k;
    const PetscReal  L    = mesh->vessels[s->vessel].length;
    const PetscReal  u[2] = {o[S_ULO], o[S_UHI]}, r = PetscSqrtReal(o[S_ABAR] / PETSC_PI);
    if (s->reason == HAVOC_LODGE_SIZE || s->V <= 0) continue;
    /* the plug holds while the heads on its two sides differ by less than its yield pressure difference */
    s->held = (PetscBool)(!s->at_tip && PetscAbsReal(o[S_HLO] - o[S_HHI]) <= 2 * b->f.tau_y * (s->xb - s->xa) / r);
    if (s->held) continue;
    s->xa += u[0] * dt;
    s->xb += u[1] * dt;
    SetLength(s, o[S_ABAR], -1, u);
    if (s->at_tip) {
      /* the gel stays continuous with the needle */
      const PetscReal l = s->xb - s->xa;
      if (s->xa > b->info.tip_x) s->xa = b->info.tip_x, s->xb = s->xa + l;
      if (s->xb < b->info.tip_x) s->xb = b->info.tip_x, s->xa = s->xb - l;
    }
    /* 3. what passed an end goes on into the node */
    for (PetscInt e = 0; e < 2; e++) {
      const PetscReal over = e ? s->xb - L : -s->xa;
      PetscReal       V;
      PetscBool       held;
      if (!(over > 0)) continue;
      V = PetscMin(over * ends[E_N * s->vessel + (e ? E_AL : E_A0)], s->V);
      PetscCall(PassNode(b, s->vessel, e, V, s->V, s->id, &held));
      s = &b->slug[k]; /* Deposit may have grown the list */
      if (!held) s->V -= V;
      if (e) s->xb = L;
      else s->xa = 0;
      if (s->V > 0) SetLength(s, o[S_ABAR], e, NULL);
      if (s->xa < 0 || s->xb > L) {
        /* longer than its vessel: it fills it, the rest goes on at the next step */
        s->xa = PetscMax(s->xa, 0);
        s->xb = PetscMin(s->xb, L);
      }
    }
    /* 4. a lumen ahead narrower than a fragment wedges it */
    {
      const HavocMeshVessel *mv    = &mesh->vessels[s->vessel];
      const PetscReal        front = o[S_UHI] + o[S_ULO] >= 0 ? s->xb : s->xa;
      if (s->V > 0 && 2 * VesselRadius(mv, front) < b->f.fragment && !s->at_tip) {
        s->state  = HAVOC_SLUG_LODGED;
        s->reason = HAVOC_LODGE_SIZE;
      }
    }
  }
  Merge(b);
  /* 5. at each cycle boundary: a slug that did not move is lodged, one that moved is moving; the acute phase
        ends when nothing moved for settle_cycles cycles after the injection */
  if (h->t >= b->next_cycle) {
    PetscBool moved = PETSC_FALSE;
    for (PetscInt k = 0; k < b->nslug; k++) {
      HavocSlug      *s     = &b->slug[k];
      const PetscReal c     = 0.5 * (s->xa + s->xb);
      const PetscBool still = (PetscBool)(s->x_cycle >= 0 && s->v_cycle == s->vessel && PetscAbsReal(c - s->x_cycle) <= b->still_tol);
      if (s->reason != HAVOC_LODGE_SIZE) {
        s->state  = still && !s->at_tip ? HAVOC_SLUG_LODGED : HAVOC_SLUG_MOVING;
        s->reason = s->state == HAVOC_SLUG_LODGED ? HAVOC_LODGE_YIELD : HAVOC_LODGE_NONE;
      }
      if (!still && s->reason != HAVOC_LODGE_SIZE) moved = PETSC_TRUE;
      s->x_cycle = c;
      s->v_cycle = s->vessel;
    }
    b->still = moved || !b->info.complete ? 0 : b->still + 1;
    b->next_cycle += h->inlet->period > 0 ? h->inlet->period : 1;
    if (b->still >= b->settle_cycles) {
      b->info.settled = PETSC_TRUE;
      h->stop         = PETSC_TRUE;
    }
  }

  /* 6. reach: the point reached where the healthy pressure is highest, the nearest to the heart */
  for (PetscInt k = 0; k < b->nslug; k++) {
    const HavocSlug       *s  = &b->slug[k];
    const HavocMeshVessel *mv = &mesh->vessels[s->vessel];
    for (PetscInt e = 0; e < 2; e++) {
      const PetscReal x = e ? s->xb : s->xa, p = b->p0[s->vessel] + (b->pL[s->vessel] - b->p0[s->vessel]) * x / mv->length;
      if (p > b->info.proximal_pressure) {
        b->info.proximal_pressure = p;
        b->info.proximal_vessel   = s->vessel;
        b->info.proximal_x        = x;
      }
    }
  }

  /* 7. the syringe's rate for the next step */
  {
    const PetscReal p_tip = b->buf[S_N * n0 + E_N * mesh->nvessels], left = b->volume - b->injected;
    PetscReal       ramp      = (b->cap - p_tip) / (CAP_RAMP * b->cap);
    b->info.peak_tip_pressure = b->q_inj > 0 ? PetscMax(b->info.peak_tip_pressure, p_tip) : b->info.peak_tip_pressure;
    ramp                      = PetscMin(PetscMax(ramp, 0), 1);
    b->q_inj                  = h->t + h->dt_next > b->t_inject && left > 0 ? PetscMin(b->rate * ramp, left / h->dt_next) : 0;
  }
  if (b->nslug || b->q_inj > 0) {
    Cover(b);
    if (h->t >= b->next_rec || h->stop || h->t >= h->t_end * (1 - 1e-12)) {
      PetscCall(Record(b, h->t));
      while (b->next_rec <= h->t)
        b->next_rec += b->record_dt;
    }
  }
  b->info.t_end = h->t;
  PetscFunctionReturn(0);
}

/* -------------------------------------------------------------------------------------------------- */
PetscErrorCode BolusGetSlugs(Bolus b, PetscInt *n, const HavocSlug **slugs)
{
  PetscFunctionBeginUser;
  *n     = b->nslug;
  *slugs = b->slug;
  PetscFunctionReturn(0);
}

PetscErrorCode BolusGetVolumes(Bolus b, PetscReal *injected, PetscReal *in_slugs, PetscReal *in_beds)
{
  PetscFunctionBeginUser;
  *injected = b->injected;
  *in_slugs = *in_beds = 0;
  for (PetscInt k = 0; k < b->nslug; k++)
    *in_slugs += b->slug[k].V;
  for (PetscInt i = 0; b->mesh && i < b->mesh->nvessels; i++)
    *in_beds += b->bed[i];
  PetscFunctionReturn(0);
}

PetscErrorCode BolusRestored(Bolus b, PetscBool *restored)
{
  PetscFunctionBeginUser;
  *restored = b->restored || (b->active && b->restart[0]);
  PetscFunctionReturn(0);
}

PetscErrorCode BolusGetDissolved(Bolus b, PetscReal *dissolved)
{
  PetscFunctionBeginUser;
  *dissolved = b->dissolved;
  PetscFunctionReturn(0);
}

/* Takes slug k out of the list, keeping the others' order. */
static void RemoveSlug(Bolus b, PetscInt k)
{
  for (PetscInt j = k; j + 1 < b->nslug; j++)
    b->slug[j] = b->slug[j + 1];
  b->nslug--;
}

PetscErrorCode BolusSetSlugFraction(Bolus b, PetscInt id, PetscReal x, PetscReal x_dissolved, PetscReal t, PetscBool *dissolved)
{
  PetscInt k = 0;

  PetscFunctionBeginUser;
  *dissolved = PETSC_FALSE;
  while (k < b->nslug && b->slug[k].id != id)
    k++;
  PetscCheck(k < b->nslug, b->comm, PETSC_ERR_ARG_OUTOFRANGE, "BolusSetSlugFraction(): no slug %" PetscInt_FMT, id);
  b->slug[k].x = x;
  if (x > x_dissolved) PetscFunctionReturn(0);
  /* dissolved: the fragments of the network are washed out, the lumen is open */
  *dissolved       = PETSC_TRUE;
  b->slug[k].state = HAVOC_SLUG_DISSOLVED;
  PetscCall(Record(b, t));
  b->dissolved += b->slug[k].V;
  RemoveSlug(b, k);
  PetscFunctionReturn(0);
}

PetscErrorCode BolusGetBedFractions(Bolus b, const PetscReal **x)
{
  PetscFunctionBeginUser;
  *x = b->bed_x;
  PetscFunctionReturn(0);
}

PetscErrorCode BolusSetBedFraction(Bolus b, PetscInt vessel, PetscReal x, PetscReal x_dissolved, PetscBool *dissolved)
{
  PetscFunctionBeginUser;
  *dissolved       = PETSC_FALSE;
  b->bed_x[vessel] = x;
  if (x > x_dissolved || b->bed[vessel] <= 0) PetscFunctionReturn(0);
  *dissolved = PETSC_TRUE;
  b->dissolved += b->bed[vessel];
  b->bed[vessel]   = 0;
  b->bed_x[vessel] = 1;
  PetscFunctionReturn(0);
}

/* The pressure drop that holds a slug's gel in place: 2 tau_y l / r, with the yield stress of the gel
   falling as x^2 (G' of a network ~ its polymer fraction squared). */
static PetscReal HoldPressure(Bolus b, PetscReal V, PetscReal x, PetscReal r)
{
  const PetscReal l = V / (PETSC_PI * r * r);
  return 2 * b->f.tau_y * x * x * l / r;
}

PetscErrorCode BolusMobilize(Bolus b, const PetscReal Q[], const PetscReal p0[], const PetscReal pL[], PetscReal t, PetscInt *nmoved)
{
  HavocMesh mesh = b->mesh;

  PetscFunctionBeginUser;
  *nmoved = 0;
  for (PetscInt k = 0; k < b->nslug; k++) {
    HavocSlug             *sl = &b->slug[k];
    const HavocMeshVessel *mv = &mesh->vessels[sl->vessel];
    const PetscReal        r = VesselRadius(mv, 0.5 * (sl->xa + sl->xb)), A = PETSC_PI * r * r;
    const PetscReal        dp  = b->h->mu * (sl->V / A) / (SlugPermeability(b, sl) * A) * PetscAbsReal(Q[sl->vessel]);
    PetscInt               v   = sl->vessel, node;
    PetscBool              bed = PETSC_FALSE;

    /* a wedged slug is held by the lumen, not its yield stress */
    if (sl->reason == HAVOC_LODGE_SIZE || dp <= HoldPressure(b, sl->V, sl->x, r)) continue;
    /* it yields and moves down the pressure gradient, from vessel to vessel along the healthy flow (the
       branch that carried most), until a lumen holds it (the hold pressure grows as r^-3) or it reaches
       a terminal and is carried into the capillary bed */
    node = p0[v] >= pL[v] ? mv->to : mv->from;
    for (;;) {
      PetscInt  next = -1;
      PetscReal best = 0;
      for (PetscInt j = 0; j < mesh->nvessels; j++) {
        const HavocMeshVessel *w = &mesh->vessels[j];
        PetscReal              away;
        if (j == v || (w->from != node && w->to != node)) continue;
        away = w->from == node ? b->q0[j] : -b->q0[j];
        if (away > best) best = away, next = j;
      }
      if (next < 0) {
        bed = (PetscBool)(mesh->vessels[v].outlet_type >= 0);
        break;
      }
      v = next;
      {
        const HavocMeshVessel *w  = &mesh->vessels[v];
        const PetscReal        rw = w->from == node ? w->r_prox : w->r_dist;
        if (HoldPressure(b, sl->V, sl->x, rw) >= dp) {
          const PetscReal l = PetscMin(sl->V / (PETSC_PI * rw * rw), w->length);
          sl->vessel        = v;
          sl->xa            = w->from == node ? 0 : w->length - l;
          sl->xb            = w->from == node ? l : w->length;
          sl->reason        = HAVOC_LODGE_YIELD;
          b->reached[v]     = PETSC_TRUE;
          break;
        }
        node = w->from == node ? w->to : w->from;
      }
    }
    (*nmoved)++;
    if (bed) {
      /* washed into the bed of terminal v: the bed's gel takes its HA, mass-weighted */
      const PetscReal Vb = b->bed[v];
      b->bed_x[v]        = (Vb * b->bed_x[v] + sl->V * sl->x) / (Vb + sl->V);
      b->bed[v] += sl->V;
      b->reached[v] = PETSC_TRUE;
      RemoveSlug(b, k--);
    }
  }
  if (*nmoved) PetscCall(Record(b, t));
  PetscFunctionReturn(0);
}

PetscErrorCode BolusGetBeds(Bolus b, const PetscReal **bed, const PetscReal **capillary)
{
  PetscFunctionBeginUser;
  *bed = b->bed;
  if (capillary) *capillary = b->vcap;
  PetscFunctionReturn(0);
}

PetscErrorCode BolusGetTrajectory(Bolus b, PetscInt *n, const HavocSlugRecord **rows)
{
  PetscFunctionBeginUser;
  *n    = b->nrec;
  *rows = b->rec;
  PetscFunctionReturn(0);
}

PetscErrorCode BolusGetInfo(Bolus b, BolusInfo *info)
{
  PetscFunctionBeginUser;
  *info = b->info;
  PetscFunctionReturn(0);
}

PetscErrorCode BolusReached(Bolus b, PetscInt vessel, PetscBool *reached)
{
  PetscFunctionBeginUser;
  *reached = b->reached ? b->reached[vessel] : PETSC_FALSE;
  PetscFunctionReturn(0);
}

PetscErrorCode BolusApplySteady(Bolus b, Steady s)
{
  HavocMesh  mesh = b->mesh;
  PetscReal *R;

  PetscFunctionBeginUser;
  if (!b->active || !mesh) PetscFunctionReturn(0);
  PetscCall(PetscCalloc1(mesh->nvessels, &R));
  for (PetscInt k = 0; k < b->nslug; k++) {
    const HavocSlug       *sl = &b->slug[k];
    const HavocMeshVessel *mv = &mesh->vessels[sl->vessel];
    const PetscReal        r = VesselRadius(mv, 0.5 * (sl->xa + sl->xb)), A = PETSC_PI * r * r;
    /* the gel fills the lumen over V / A: Darcy flow through it, its permeability rising as the enzyme
       digests the network (k ~ x^-1.5, fibre scaling) */
    R[sl->vessel] += b->h->mu * (sl->V / A) / (SlugPermeability(b, sl) * A);
  }
  for (PetscInt i = 0; i < mesh->nvessels; i++) {
    const HavocMeshVessel *mv = &mesh->vessels[i];
    if (b->bed[i] > 0 && mv->outlet_type >= 0) {
      const HavocOutletType *type;
      PetscReal              Rb, p_out;
      PetscBool              ok;
      PetscCall(HavocOutletGet(mv->outlet_type, &type));
      type->steady(mv->outlet_param, &Rb, &p_out, &ok);
      if (ok) R[i] += Rb * (BedFactor(b, i) - 1);
    }
    PetscCall(SteadySetVesselResistance(s, i, R[i]));
  }
  PetscCall(PetscFree(R));
  PetscFunctionReturn(0);
}

PetscErrorCode BolusPlaceSlug(Bolus b, PetscInt vessel, PetscReal xa, PetscReal xb, PetscBool wedged)
{
  const HavocMeshVessel *mv = &b->mesh->vessels[vessel];
  const PetscReal        r  = VesselRadius(mv, 0.5 * (xa + xb));
  PetscInt               k  = -1;

  PetscFunctionBeginUser;
  PetscCheck(b->bed, b->comm, PETSC_ERR_ARG_WRONGSTATE, "BolusSetUp() must come before BolusPlaceSlug()");
  PetscCheck(xa >= 0 && xb > xa && xb <= mv->length, b->comm, PETSC_ERR_ARG_OUTOFRANGE, "slug span [%g, %g] m is not inside vessel '%s'", (double)xa, (double)xb, mv->name);
  PetscCall(AddSlug(b, vessel, xa, xb, PETSC_PI * r * r * (xb - xa), -1, &k));
  if (wedged) {
    b->slug[k].state  = HAVOC_SLUG_LODGED;
    b->slug[k].reason = HAVOC_LODGE_SIZE;
  }
  b->injected += b->slug[k].V;
  Cover(b);
  PetscFunctionReturn(0);
}

PetscErrorCode BolusDestroy(Bolus *bolus)
{
  Bolus b = *bolus;

  PetscFunctionBeginUser;
  if (!b) PetscFunctionReturn(0);
  if (b->bed) {
    PetscCall(PetscFree5(b->bed, b->vcap, b->reached, b->p0, b->pL));
    PetscCall(PetscFree2(b->q0, b->bed_x));
    PetscCall(PetscFree2(b->local_of, b->cell0));
    PetscCall(PetscFree(b->oparam0));
    PetscCall(PetscFree3(b->phi_b, b->phi_d, b->sig_f));
  }
  PetscCall(PetscFree(b->slug));
  PetscCall(PetscFree(b->rec));
  PetscCall(PetscFree(b->buf));
  PetscCall(PetscFree(*bolus));
  PetscFunctionReturn(0);
}

/* The scalars of the state, in one record. */
typedef struct {
  BolusInfo info;
  PetscBool armed, restored;
  PetscReal t_inject, q_inj, injected, dissolved, next_cycle, next_rec;
  PetscInt  tip_lv, tip_cell, nslug, next_id, nbuf, ngather, still, nrec;
} BolusScalars;

/* The arrays of the state with a size fixed by the network, in the order of the records. */
static void BolusArrays(Bolus b, void *arrays[], size_t bytes[], PetscInt *n)
{
  const size_t nv = (size_t)b->mesh->nvessels, nc = (size_t)b->h->net->ncells_local, nl = (size_t)b->h->net->nvessels, nx = (size_t)b->h->net->nvertices;
  PetscInt     k = 0;

  arrays[k] = b->bed, bytes[k++] = nv * sizeof(PetscReal);
  arrays[k] = b->vcap, bytes[k++] = nv * sizeof(PetscReal);
  arrays[k] = b->reached, bytes[k++] = nv * sizeof(PetscBool);
  arrays[k] = b->p0, bytes[k++] = nv * sizeof(PetscReal);
  arrays[k] = b->pL, bytes[k++] = nv * sizeof(PetscReal);
  arrays[k] = b->q0, bytes[k++] = nv * sizeof(PetscReal);
  arrays[k] = b->bed_x, bytes[k++] = nv * sizeof(PetscReal);
  arrays[k] = b->phi_b, bytes[k++] = nc * sizeof(PetscReal);
  arrays[k] = b->phi_d, bytes[k++] = nc * sizeof(PetscReal);
  arrays[k] = b->sig_f, bytes[k++] = (nc + nl) * sizeof(PetscReal);
  arrays[k] = b->oparam0, bytes[k++] = nx * sizeof(*b->oparam0);
  *n = k;
}

static const char *const bolus_records[] = {"bolus.bed", "bolus.vcap", "bolus.reached", "bolus.p0", "bolus.pL", "bolus.q0", "bolus.bed_x", "bolus.phi_b", "bolus.phi_d", "bolus.sig_f", "bolus.oparam0"};

PetscErrorCode BolusCheckpointWrite(Bolus b, HavocCheckpoint ck)
{
  BolusScalars s;
  PetscInt     n;
  void        *arrays[16];
  size_t       bytes[16];
  PetscBool   *gel;

  PetscFunctionBeginUser;
  if (!b->active) PetscFunctionReturn(0);
  PetscCall(PetscMemzero(&s, sizeof(s)));
  s.info = b->info, s.armed = b->armed, s.restored = b->restored;
  s.t_inject = b->t_inject, s.q_inj = b->q_inj, s.injected = b->injected, s.dissolved = b->dissolved, s.next_cycle = b->next_cycle, s.next_rec = b->next_rec;
  s.tip_lv = b->tip_lv, s.tip_cell = b->tip_cell, s.nslug = b->nslug, s.next_id = b->next_id, s.nbuf = b->nbuf, s.ngather = b->ngather, s.still = b->still, s.nrec = b->nrec;
  PetscCall(HavocCheckpointWrite(ck, "bolus.scalars", &s, sizeof(s)));
  PetscCall(HavocCheckpointWrite(ck, "bolus.slugs", b->slug, (size_t)b->nslug * sizeof(HavocSlug)));
  PetscCall(HavocCheckpointWrite(ck, "bolus.record", b->rec, (size_t)b->nrec * sizeof(HavocSlugRecord)));
  PetscCall(HavocCheckpointWrite(ck, "bolus.buf", b->buf, (size_t)b->nbuf * sizeof(PetscReal)));
  BolusArrays(b, arrays, bytes, &n);
  for (PetscInt k = 0; k < n; k++)
    PetscCall(HavocCheckpointWrite(ck, bolus_records[k], arrays[k], bytes[k]));
  /* which local vessels the solver sees gel in */
  PetscCall(PetscMalloc1(b->h->net->nvessels + 1, &gel));
  for (PetscInt lv = 0; lv < b->h->net->nvessels; lv++)
    gel[lv] = b->h->kv[lv].gel_sigma ? PETSC_TRUE : PETSC_FALSE;
  PetscCall(HavocCheckpointWrite(ck, "bolus.gel", gel, (size_t)b->h->net->nvessels * sizeof(PetscBool)));
  PetscCall(PetscFree(gel));
  PetscFunctionReturn(0);
}

PetscErrorCode BolusCheckpointRead(Bolus b, HavocCheckpoint ck)
{
  BolusScalars s;
  PetscInt     n;
  void        *arrays[16];
  size_t       bytes[16];
  PetscBool   *gel;

  PetscFunctionBeginUser;
  if (!b->active) PetscFunctionReturn(0);
  PetscCall(HavocCheckpointRead(ck, "bolus.scalars", &s, sizeof(s)));
  {
    /* the product's table entry (its names are pointers) is this process's */
    const HavocFiller f = b->info.filler;
    b->info             = s.info;
    b->info.filler      = f;
  }
  b->armed = s.armed, b->restored = s.restored;
  b->t_inject = s.t_inject, b->q_inj = s.q_inj, b->injected = s.injected, b->dissolved = s.dissolved, b->next_cycle = s.next_cycle, b->next_rec = s.next_rec;
  b->tip_lv = s.tip_lv, b->tip_cell = s.tip_cell, b->next_id = s.next_id, b->ngather = s.ngather, b->still = s.still;
  /* the lists grow by doubling from what they hold now */
  PetscCall(PetscFree(b->slug));
  PetscCall(PetscFree(b->rec));
  PetscCall(PetscFree(b->buf));
  b->nslug = b->maxslug = s.nslug;
  b->nrec = b->maxrec = s.nrec;
  b->nbuf             = s.nbuf;
  PetscCall(PetscMalloc1(b->maxslug + 1, &b->slug));
  PetscCall(PetscMalloc1(b->maxrec + 1, &b->rec));
  PetscCall(PetscMalloc1(b->nbuf + 1, &b->buf));
  b->maxslug++, b->maxrec++;
  PetscCall(HavocCheckpointRead(ck, "bolus.slugs", b->slug, (size_t)b->nslug * sizeof(HavocSlug)));
  PetscCall(HavocCheckpointRead(ck, "bolus.record", b->rec, (size_t)b->nrec * sizeof(HavocSlugRecord)));
  PetscCall(HavocCheckpointRead(ck, "bolus.buf", b->buf, (size_t)b->nbuf * sizeof(PetscReal)));
  BolusArrays(b, arrays, bytes, &n);
  for (PetscInt k = 0; k < n; k++)
    PetscCall(HavocCheckpointRead(ck, bolus_records[k], arrays[k], bytes[k]));
  PetscCall(PetscMalloc1(b->h->net->nvessels + 1, &gel));
  PetscCall(HavocCheckpointRead(ck, "bolus.gel", gel, (size_t)b->h->net->nvessels * sizeof(PetscBool)));
  for (PetscInt lv = 0; lv < b->h->net->nvessels; lv++)
    b->h->kv[lv].gel_sigma = gel[lv] ? b->sig_f + b->cell0[lv] + lv : NULL;
  PetscCall(PetscFree(gel));
  PetscFunctionReturn(0);
}
