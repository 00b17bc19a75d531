/* Hemo: the pulsatile solver. See hemo.h for the structure of a step. */
#include "hemo.h"
#include "options.h"

#include <string.h>

PetscErrorCode HemoCreate(MPI_Comm comm, Hemo *hemo)
{
  Hemo h;

  PetscFunctionBeginUser;
  PetscCall(HavocRegisterAll());
  PetscCall(PetscNew(&h));
  h->comm           = comm;
  h->rho            = 1060;
  h->mu             = 4e-3;
  h->total_pressure = PETSC_TRUE;
  h->jtol.ptol      = 1e-6;
  h->jtol.qtol      = 0;
  h->jtol.maxit     = 30;
  h->limiter        = HAVOC_LIMITER_MC;
  h->cfl            = 0.9;
  h->max_cycles     = 20;
  h->zeta           = -1;
  HavocPostureDefault(&h->posture);
  PetscCall(PetscStrncpy(h->flux, "hll", sizeof(h->flux)));
  PetscCall(NetworkCreate(comm, NULL, &h->net));
  *hemo = h;
  PetscFunctionReturn(0);
}

PetscErrorCode HemoSetMesh(Hemo hemo, HavocMesh mesh)
{
  PetscFunctionBeginUser;
  hemo->mesh      = mesh;
  hemo->net->mesh = mesh;
  PetscFunctionReturn(0);
}

PetscErrorCode HemoSetFromOptions(Hemo h)
{
  const char       *quantity[] = {"flow", "pressure"}, *junction[] = {"static", "total"};
  PetscInt          iq = h->inlet_pressure, ij = h->total_pressure;
  PetscFunctionList fluxes;

  PetscFunctionBeginUser;
  PetscOptionsBegin(h->comm, "blood_", "Blood", NULL);
  PetscCall(HavocOptionsQuantity("-density", "blood density", "kg m^-3", h->rho, &h->rho, NULL, HAVOC_POSITIVE, PETSC_MAX_REAL));
  PetscCall(HavocOptionsQuantity("-viscosity", "blood dynamic viscosity", "Pa s", h->mu, &h->mu, NULL, 0, PETSC_MAX_REAL));
  PetscOptionsEnd();

  PetscCall(HavocFluxGetList(&fluxes));
  PetscOptionsBegin(h->comm, "hemo_", "Pulsatile blood-flow solver", NULL);
  PetscCall(PetscOptionsFList("-flux", "Riemann flux", "HemoSetFromOptions", fluxes, h->flux, h->flux, sizeof(h->flux), NULL));
  PetscCall(PetscOptionsEnum("-limiter", "slope limiter (none: first order)", NULL, HavocLimiters, (PetscEnum)h->limiter, (PetscEnum *)&h->limiter, NULL));
  PetscCall(HavocOptionsQuantity("-cfl", "Courant number of the global time step", "", h->cfl, &h->cfl, NULL, HAVOC_POSITIVE, 1));
  PetscCall(HavocOptionsQuantity("-t_end", "end time (0: whole cycles of the inlet period, see -hemo_cycles)", "s", h->t_end, &h->t_end, NULL, 0, PETSC_MAX_REAL));
  PetscCall(HavocOptionsIntRange("-cycles", "most cardiac cycles to run when -hemo_t_end is 0", h->max_cycles, &h->max_cycles, NULL, 1, 100000));
  PetscCall(HavocOptionsQuantity("-zeta", "velocity-profile exponent for every vessel, overriding the network file (negative: each vessel's own)", "", h->zeta, &h->zeta, NULL, -1, PETSC_MAX_REAL));
  PetscCall(HavocOptionsQuantity("-p0", "initial pressure of the network at rest (at the height of the face-frame origin)", "Pa", h->p0, &h->p0, NULL, -PETSC_MAX_REAL, PETSC_MAX_REAL));
  PetscCall(PetscOptionsEList("-junction_pressure", "pressure that is continuous at junctions", NULL, junction, 2, junction[ij], &ij, NULL));
  PetscCall(HavocOptionsQuantity("-junction_ptol", "junction tolerance on pressure", "Pa", h->jtol.ptol, &h->jtol.ptol, NULL, HAVOC_POSITIVE, PETSC_MAX_REAL));
  PetscCall(HavocOptionsQuantity("-junction_qtol", "junction tolerance on mass conservation (0: round-off of the flows)", "m^3 s^-1", h->jtol.qtol, &h->jtol.qtol, NULL, 0, PETSC_MAX_REAL));
  PetscCall(HavocOptionsIntRange("-junction_maxit", "most Newton iterations at a junction", h->jtol.maxit, &h->jtol.maxit, NULL, 1, 1000));
  PetscOptionsEnd();
  h->total_pressure = (PetscBool)(ij == 1);

  PetscOptionsBegin(h->comm, "inlet_", "Inlet waveform", NULL);
  PetscCall(PetscOptionsEList("-quantity", "what the waveform prescribes: the flow into the network or the pressure", NULL, quantity, 2, quantity[iq], &iq, NULL));
  h->inlet_pressure = (PetscBool)(iq == 1);
  PetscCall(HavocWaveformDestroy(&h->inlet));
  PetscCall(HavocWaveformCreate(h->comm, h->inlet_pressure ? "Pa" : "m^3 s^-1", &h->inlet));
  PetscCall(HavocWaveformSetFromOptions(h->inlet, "table"));
  PetscOptionsEnd();

  PetscCall(HavocPostureSetFromOptions(h->comm, &h->posture));
  PetscCall(NetworkSetFromOptions(h->net));
  PetscFunctionReturn(0);
}

PetscErrorCode HemoGetStopTime(Hemo h, PetscReal *t_stop)
{
  PetscFunctionBeginUser;
  if (h->t_end > 0) *t_stop = h->t_end;
  else {
    HavocCheckUser(h->inlet->period > 0, h->comm, "option -hemo_t_end: the inlet waveform '%s' is not periodic, so the run needs an end time", h->inlet->type);
    *t_stop = h->max_cycles * h->inlet->period;
  }
  PetscFunctionReturn(0);
}

static inline PetscReal CellPressure(const HavocVessel *v, PetscInt i)
{
  return v->pr[i] + v->K[i] * (PetscSqrtReal(v->A[i]) - v->sqrtAr[i]);
}

static inline PetscReal FacePressure(const HavocVessel *v, PetscInt j, PetscReal A)
{
  return v->prf[j] + v->Kf[j] * (PetscSqrtReal(A) - v->sqrtArf[j]);
}

static PetscReal LocalSpeedOverDx(Hemo h)
{
  PetscReal s = 0;

  for (PetscInt i = 0; i < h->net->nvessels; i++) {
    const HavocVessel *v = &h->kv[i];
    for (PetscInt c = 0; c < v->M; c++) {
      const PetscReal u = v->Q[c] / v->A[c], cs = PetscSqrtReal(v->K[c] * PetscSqrtReal(v->A[c]) / (2 * h->rho));
      s = PetscMax(s, (PetscAbsReal(u) + cs) / v->dx);
    }
  }
  return s;
}

/* Ghost values for the slopes and the end states, consistent with the cells next to each end. */
static void ResetEnds(Hemo h)
{
  for (PetscInt i = 0; i < h->net->nvessels; i++) {
    HavocVessel *v = &h->kv[i];
    for (PetscInt e = 0; e < 2; e++) {
      const PetscInt  c = e ? v->M - 1 : 0, j = e ? v->M : 0;
      const PetscReal p = CellPressure(v, c), s = v->sqrtArf[j] + (p - v->prf[j]) * v->invKf[j];
      v->pb[e]        = p;
      v->qb[e]        = v->Q[c];
      h->ends[i][e].A = s * s;
      h->ends[i][e].Q = v->Q[c];
    }
  }
}

static PetscErrorCode HemoUpdateTimeStep(Hemo h)
{
  PetscReal s = LocalSpeedOverDx(h);

  PetscFunctionBeginUser;
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, &s, 1, MPIU_REAL, MPIU_MAX, h->comm));
  h->dt_next = s > 0 ? h->cfl / s : 1e-4;
  PetscFunctionReturn(0);
}

PetscErrorCode HemoSetUp(Hemo h)
{
  Network    net;
  HavocMesh  mesh   = h->mesh;
  PetscInt   nextra = 0;
  PetscReal *pool;

  PetscFunctionBeginUser;
  PetscCheck(mesh, h->comm, PETSC_ERR_ARG_WRONGSTATE, "HemoSetMesh() must come before HemoSetUp()");
  net = h->net;
  {
    PetscReal g[3];
    HavocPostureGravity(&h->posture, g);
    PetscCall(NetworkSetGravity(net, h->rho, g));
  }
  PetscCall(NetworkSetUp(net));
  {
    PetscFunctionList fluxes;
    PetscCall(HavocFluxGetList(&fluxes));
    PetscCall(PetscFunctionListFind(fluxes, h->flux, &h->sweep));
    HavocCheckUser(h->sweep, h->comm, "option -hemo_flux: unknown flux '%s' (expected hll or rusanov)", h->flux);
  }
  PetscCall(DMCreateLocalVector(net->dm, &h->Xl));
  PetscCall(DMCreateGlobalVector(net->dm, &h->Xg));
  PetscCall(VecSet(h->Xl, 0));
  PetscCall(VecSet(h->Xg, 0));
  PetscCall(VecGetArray(h->Xl, &h->x));
  PetscCall(HavocKernelCreate(h->rho, h->limiter, net->ncells_max, &h->kernel));
  PetscCall(PetscCalloc4(net->nvessels, &h->kv, net->nvessels, &h->gamma_visc, net->nvessels, &h->ends, net->nvessels, &h->W));
  PetscCall(PetscCalloc5(net->nvertices, &h->junction, net->nvertices, &h->ju, net->nvertices, &h->q_last, net->nvertices, &h->jA, net->nvertices, &h->jQ));
  PetscCall(PetscCalloc2(net->nvertices, &h->ju_prev, net->nvertices, &h->oparam));
  for (PetscInt i = 0; i < net->nvessels; i++)
    nextra += (2 + HAVOC_FACE_ARRAYS) * (net->vessels[i].ncells + 1);
  PetscCall(PetscCalloc1(nextra, &h->kv_pool));
  pool = h->kv_pool;
  for (PetscInt i = 0; i < net->nvessels; i++) {
    const NetworkVessel   *nv = &net->vessels[i];
    const HavocMeshVessel *mv = &mesh->vessels[nv->vessel];
    HavocVessel           *v  = &h->kv[i];
    PetscReal             *gf = pool, *Kf3 = pool + nv->ncells + 1;
    PetscReal            **faces[HAVOC_FACE_ARRAYS] = {&v->f.pL, &v->f.uL, &v->f.AL, &v->f.FL, &v->f.pR, &v->f.uR, &v->f.AR, &v->f.FR};
    pool += 2 * (nv->ncells + 1);
    for (PetscInt a = 0; a < HAVOC_FACE_ARRAYS; a++, pool += nv->ncells + 1)
      *faces[a] = pool;
    for (PetscInt j = 0; j <= nv->ncells; j++) {
      gf[j]  = PetscSqrtReal(nv->Kf[j] / (2 * h->rho));
      Kf3[j] = nv->Kf[j] / (3 * h->rho);
    }
    v->M             = nv->ncells;
    v->dx            = nv->dx;
    v->KR            = 2 * ((h->zeta >= 0 ? h->zeta : mv->zeta) + 2) * PETSC_PI * h->mu / h->rho;
    v->K             = nv->K;
    v->invK          = nv->invK;
    v->sqrtAr        = nv->sqrtAr;
    v->pr            = nv->pr;
    v->Kf            = nv->Kf;
    v->invKf         = nv->invKf;
    v->sqrtArf       = nv->sqrtArf;
    v->prf           = nv->prf;
    v->gf            = gf;
    v->Kf3           = Kf3;
    v->A             = h->x + nv->offset;
    v->Q             = h->x + nv->offset + nv->ncells;
    h->gamma_visc[i] = mv->gamma_visc;
    for (PetscInt c = 0; c < v->M; c++) {
      const PetscReal s = v->sqrtAr[c] + (h->p0 - v->pr[c]) * v->invK[c];
      HavocCheckUser(s > 0, h->comm, "option -hemo_p0: %.6g Pa collapses vessel '%s' (its lumen closes below %.6g Pa)", h->p0, mv->name, v->pr[c] - v->K[c] * v->sqrtAr[c]);
      v->A[c] = s * s;
      v->Q[c] = 0;
    }
  }
  for (PetscInt k = 0; k < net->nvertices; k++) {
    const NetworkVertex *vx = &net->vertices[k];
    HavocJunction       *J  = &h->junction[k];
    J->n                    = vx->nslot;
    J->total_pressure       = h->total_pressure;
    for (PetscInt s = 0; s < vx->nslot; s++) {
      J->end[s].tube  = vx->slot_tube[s];
      J->end[s].rho   = h->rho;
      J->end[s].gamma = HavocTubeGamma(&vx->slot_tube[s], h->rho);
      J->end[s].sign  = vx->slot_end[s] ? 1 : -1;
    }
    if (vx->kind == NETWORK_OUTLET) {
      const HavocMeshVessel *mv = &mesh->vessels[mesh->nodes[vx->node].outlet];
      const HavocOutletType *type;
      PetscCall(HavocOutletGet(mv->outlet_type, &type));
      /* an outlet pressure is given at the terminal's height: as a head it gains the node's rho phi */
      for (PetscInt p = 0; p < type->nparam; p++)
        h->oparam[k][p] = mv->outlet_param[p] + (!strcmp(type->param[p].unit, "Pa") ? net->node_rhophi[vx->node] : 0);
      if (type->init) type->init(h->oparam[k], h->x + vx->offset, h->p0);
    }
  }
  ResetEnds(h);
  PetscCall(HemoUpdateTimeStep(h));
  h->setup = PETSC_TRUE;
  PetscFunctionReturn(0);
}

PetscErrorCode HemoSetState(Hemo h, void (*fn)(const HavocMeshVessel *, PetscReal, PetscReal *, PetscReal *, void *), void *ctx)
{
  PetscFunctionBeginUser;
  for (PetscInt i = 0; i < h->net->nvessels; i++) {
    HavocVessel           *v  = &h->kv[i];
    const HavocMeshVessel *mv = &h->mesh->vessels[h->net->vessels[i].vessel];
    for (PetscInt c = 0; c < v->M; c++)
      fn(mv, (c + 0.5) * v->dx, &v->A[c], &v->Q[c], ctx);
  }
  ResetEnds(h);
  PetscCall(HemoUpdateTimeStep(h));
  PetscFunctionReturn(0);
}

/* A numerical fault found on some ranks becomes one collective error carrying the message of the lowest
   such rank. */
static PetscErrorCode HemoCheckFault(Hemo h, PetscBool local_fault, char msg[], size_t len)
{
  PetscMPIInt rank, size, first;

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_rank(h->comm, &rank));
  PetscCallMPI(MPI_Comm_size(h->comm, &size));
  first = local_fault ? rank : size;
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, &first, 1, MPI_INT, MPI_MIN, h->comm));
  if (first == size) PetscFunctionReturn(0);
  PetscCallMPI(MPI_Bcast(msg, (PetscMPIInt)len, MPI_CHAR, first, h->comm));
  SETERRQ(h->comm, PETSC_ERR_NOT_CONVERGED, "%s", msg);
}

PetscErrorCode HemoStep(Hemo h)
{
  Network         net  = h->net;
  HavocMesh       mesh = h->mesh;
  const PetscReal dt   = h->dt;
  PetscScalar    *xg;
  PetscReal       red[2]   = {0, 0};
  char            msg[512] = "";

  PetscFunctionBeginUser;
  /* 1. half-step face states and the outgoing invariants at the vessel ends */
  for (PetscInt i = 0; i < net->nvessels; i++)
    HavocKernelPredict(&h->kernel, &h->kv[i], dt, h->W[i]);

  /* 2. junction slots: each vessel writes its own, the exchange completes every copy */
  for (PetscInt k = 0; k < net->nvertices; k++)
    if (net->vertices[k].kind == NETWORK_JUNCTION) PetscCall(PetscArrayzero(h->x + net->vertices[k].offset, net->vertices[k].nslot));
  for (PetscInt i = 0; i < net->nvessels; i++)
    for (PetscInt e = 0; e < 2; e++) {
      const NetworkVertex *vx = &net->vertices[net->vessels[i].vertex[e]];
      if (vx->kind == NETWORK_JUNCTION) h->x[vx->offset + net->vessels[i].slot[e]] = h->W[i][e];
    }
  PetscCall(VecGetArray(h->Xg, &xg));
  PetscCall(NetworkExchangeSlots(net, h->x, xg));
  PetscCall(VecRestoreArray(h->Xg, &xg));

  /* 3. junctions (every rank that has one solves it identically), then inlets and outlets */
  for (PetscInt k = 0; k < net->nvertices && !msg[0]; k++) {
    const NetworkVertex *vx = &net->vertices[k];
    PetscReal            u[HAVOC_MAX_DEGREE];
    PetscInt             its;
    if (vx->kind != NETWORK_JUNCTION) continue;
    /* a linear extrapolation of the last two solutions starts Newton within O(dt^2) of the answer */
    for (PetscInt s = 0; s < vx->nslot; s++) {
      u[s]             = h->step > 1 ? 2 * h->ju[k][s] - h->ju_prev[k][s] : h->ju[k][s];
      h->ju_prev[k][s] = h->ju[k][s];
    }
    /* a sudden change (a plug that starts or stops) can put that guess out of Newton's reach: then from the
       last solution, then from rest */
    its = HavocJunctionSolve(&h->junction[k], &h->jtol, h->x + vx->offset, u, h->jA[k], h->jQ[k]);
    if (its < 0) {
      PetscCall(PetscArraycpy(u, h->ju[k], vx->nslot));
      its = HavocJunctionSolve(&h->junction[k], &h->jtol, h->x + vx->offset, u, h->jA[k], h->jQ[k]);
    }
    if (its < 0) {
      PetscCall(PetscArrayzero(u, vx->nslot));
      its = HavocJunctionSolve(&h->junction[k], &h->jtol, h->x + vx->offset, u, h->jA[k], h->jQ[k]);
    }
    if (its < 0 && h->junction[k].total_pressure) {
      /* total pressure continuity has no solution for a fast enough jet into a junction (a syringe pushing
         blood through a small anastomosis): static pressure continuity, which has one, for this step */
      HavocJunction J  = h->junction[k];
      J.total_pressure = PETSC_FALSE;
      PetscCall(PetscArrayzero(u, vx->nslot));
      its = HavocJunctionSolve(&J, &h->jtol, h->x + vx->offset, u, h->jA[k], h->jQ[k]);
      if (its >= 0) h->jstatic++;
    }
    if (its >= 0) {
      for (PetscInt s = 0; s < vx->nslot; s++)
        h->ju[k][s] = u[s];
    } else {
      const HavocMeshNode *node = &mesh->nodes[vx->node];
      PetscCall(PetscSNPrintf(msg, sizeof(msg), "junction at node %" PetscInt_FMT " (line %" PetscInt_FMT " of %s) did not converge in %" PetscInt_FMT " Newton iterations at t = %.6g s", node->id, node->line, mesh->path, h->jtol.maxit, (double)h->t));
    }
  }
  for (PetscInt i = 0; i < net->nvessels && !msg[0]; i++)
    for (PetscInt e = 0; e < 2; e++) {
      const NetworkVertex   *vx  = &net->vertices[net->vessels[i].vertex[e]];
      const PetscInt         k   = net->vessels[i].vertex[e];
      const HavocEnd        *end = &h->junction[k].end[0];
      const HavocMeshVessel *mv  = &mesh->vessels[net->vessels[i].vessel];
      PetscBool              ok  = PETSC_TRUE;
      PetscReal              A = h->ends[i][e].A, Q = 0;
      if (vx->kind == NETWORK_JUNCTION) {
        h->ends[i][e].A = h->jA[k][net->vessels[i].slot[e]];
        h->ends[i][e].Q = h->jQ[k][net->vessels[i].slot[e]];
        continue;
      }
      if (vx->kind == NETWORK_INLET) {
        const PetscReal value = mesh->inlets[vx->inlet].scale * HavocWaveformEval(h->inlet, h->t + 0.5 * dt);
        if (h->inlet_pressure) HavocEndSolvePressure(end, h->W[i][e], value + net->node_rhophi[vx->node], &A, &Q, &ok);
        else HavocEndSolveFlow(end, h->W[i][e], value, &A, &Q, &ok);
        h->vol_in -= dt * end->sign * Q;
      } else {
        const HavocOutletType *type;
        PetscReal              half[HAVOC_OUTLET_MAXPARAM], *state = h->x + vx->offset;
        PetscCall(HavocOutletGet(mv->outlet_type, &type));
        /* the 0D state at the half step, from the last outflow, keeps the coupling second order */
        for (PetscInt s = 0; s < type->nstate; s++)
          half[s] = state[s];
        if (type->advance) type->advance(h->oparam[k], half, h->q_last[k], 0.5 * dt);
        type->solve(end, h->oparam[k], half, h->W[i][e], &A, &Q, &ok);
        if (ok) {
          h->q_last[k] = end->sign * Q;
          if (type->advance) type->advance(h->oparam[k], state, h->q_last[k], dt);
          h->vol_out += dt * h->q_last[k];
        }
      }
      if (!ok) {
        PetscCall(PetscSNPrintf(msg, sizeof(msg), "vessel '%s' (line %" PetscInt_FMT " of %s): the %s at its %s end has no solution at t = %.6g s (outgoing invariant %.6g m/s)", mv->name, mv->line, mesh->path, vx->kind == NETWORK_INLET ? "inlet" : "outlet", e ? "x = L" : "x = 0", (double)h->t, (double)h->W[i][e]));
        break;
      }
      h->ends[i][e].A = A;
      h->ends[i][e].Q = Q;
    }

  /* 4. sweep every vessel */
  for (PetscInt i = 0; i < net->nvessels && !msg[0]; i++) {
    HavocVessel     *v     = &h->kv[i];
    const PetscReal  Ab[2] = {h->ends[i][0].A, h->ends[i][1].A}, Qb[2] = {h->ends[i][0].Q, h->ends[i][1].Q};
    HavocSweepResult r = h->sweep(&h->kernel, v, dt, Ab, Qb);
    if (r.bad_cell >= 0) {
      const HavocMeshVessel *mv = &mesh->vessels[net->vessels[i].vessel];
      PetscCall(PetscSNPrintf(msg, sizeof(msg), "vessel '%s' (line %" PetscInt_FMT " of %s), cell %" PetscInt_FMT " at x = %.4g mm, t = %.6g s: %s (A = %.6g m^2, Q = %.6g m^3/s); try a smaller -hemo_cfl or -network_dx", mv->name, mv->line, mesh->path, r.bad_cell, (double)((r.bad_cell + 0.5) * v->dx * 1e3), (double)(h->t + dt), v->A[r.bad_cell] > 0 ? "non-finite flow" : "non-positive or non-finite area", (double)v->A[r.bad_cell], (double)v->Q[r.bad_cell]));
      break;
    }
    if (h->gamma_visc[i] > 0) HavocKernelViscous(&h->kernel, v, h->gamma_visc[i], dt, Qb);
    if (h->cell_hook) PetscCall(h->cell_hook(h, i, dt, h->cell_hook_ctx));
    for (PetscInt e = 0; e < 2; e++) {
      v->pb[e] = FacePressure(v, e ? v->M : 0, Ab[e]);
      v->qb[e] = Qb[e];
    }
    red[0] = PetscMax(red[0], r.speed_dx);
  }

  /* 5. the next step from the CFL condition, and any fault, agreed by all ranks */
  red[1] = msg[0] ? 1 : 0;
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, red, 2, MPIU_REAL, MPIU_MAX, h->comm));
  if (red[1] > 0) PetscCall(HemoCheckFault(h, (PetscBool)(msg[0] != 0), msg, sizeof(msg)));
  h->t += dt;
  h->step++;
  if (red[0] > 0) h->dt_next = h->cfl / red[0];
  PetscFunctionReturn(0);
}

PetscErrorCode HemoMonitorAdd(Hemo h, HemoMonitorFn fn, void *ctx)
{
  PetscFunctionBeginUser;
  PetscCheck(h->nmonitor < HEMO_MAX_MONITORS, h->comm, PETSC_ERR_SUP, "too many monitors");
  h->monitor[h->nmonitor]       = fn;
  h->monitor_ctx[h->nmonitor++] = ctx;
  PetscFunctionReturn(0);
}

PetscErrorCode HemoSetCellHook(Hemo h, HemoCellHookFn fn, void *ctx)
{
  PetscFunctionBeginUser;
  h->cell_hook     = fn;
  h->cell_hook_ctx = ctx;
  PetscFunctionReturn(0);
}

PetscErrorCode HemoSolve(Hemo h)
{
  PetscReal t_stop;

  PetscFunctionBeginUser;
  PetscCall(HemoGetStopTime(h, &t_stop));
  h->pause = PETSC_FALSE;
  while (!h->stop && !h->pause && t_stop - h->t > 1e-9 * h->dt_next) {
    h->dt = PetscMin(h->dt_next, t_stop - h->t);
    PetscCall(HemoStep(h));
    for (PetscInt m = 0; m < h->nmonitor; m++)
      PetscCall(h->monitor[m](h, h->monitor_ctx[m]));
  }
  PetscFunctionReturn(0);
}

PetscErrorCode HemoGetVolume(Hemo h, PetscReal *volume)
{
  PetscReal v = 0;

  PetscFunctionBeginUser;
  for (PetscInt i = 0; i < h->net->nvessels; i++)
    for (PetscInt c = 0; c < h->kv[i].M; c++)
      v += h->kv[i].A[c] * h->kv[i].dx;
  PetscCall(MPIU_Allreduce(&v, volume, 1, MPIU_REAL, MPIU_SUM, h->comm));
  PetscFunctionReturn(0);
}

PetscErrorCode HemoGetBoundaryVolumes(Hemo h, PetscReal *in, PetscReal *out)
{
  PetscReal loc[2] = {h->vol_in, h->vol_out}, glob[2];

  PetscFunctionBeginUser;
  PetscCall(MPIU_Allreduce(loc, glob, 2, MPIU_REAL, MPIU_SUM, h->comm));
  *in  = glob[0];
  *out = glob[1];
  PetscFunctionReturn(0);
}

PetscReal HemoHead(Hemo h, PetscInt lv, PetscInt c)
{
  const HavocVessel *v = &h->kv[lv];

  if (c < 0) return FacePressure(v, 0, h->ends[lv][0].A);
  if (c >= v->M) return FacePressure(v, v->M, h->ends[lv][1].A);
  return CellPressure(v, c);
}

PetscReal HemoCellPressure(Hemo h, PetscInt lv, PetscInt c)
{
  return CellPressure(&h->kv[lv], c) - h->net->vessels[lv].rhophi[c];
}

void HemoVesselSample(Hemo h, PetscInt lv, PetscReal f, PetscReal *p, PetscReal *q, PetscReal *A, PetscBool *half)
{
  const HavocVessel   *v  = &h->kv[lv];
  const NetworkVessel *nv = &h->net->vessels[lv];

  if (f <= 0 || f >= 1) {
    const PetscInt e = f >= 1;
    *A               = h->ends[lv][e].A;
    *q               = h->ends[lv][e].Q;
    *p               = FacePressure(v, e ? v->M : 0, *A) - nv->rhophif[e ? v->M : 0];
    *half            = PETSC_TRUE;
    return;
  }
  {
    const PetscReal xi = f * v->M - 0.5;
    PetscInt        i0 = (PetscInt)PetscFloorReal(xi);
    PetscReal       w;
    if (i0 < 0) i0 = 0;
    if (i0 > v->M - 2) i0 = PetscMax(v->M - 2, 0);
    w = v->M > 1 ? PetscMin(PetscMax(xi - i0, 0), 1) : 0;
    if (v->M == 1) {
      *A = v->A[0];
      *q = v->Q[0];
      *p = HemoCellPressure(h, lv, 0);
    } else {
      *A = (1 - w) * v->A[i0] + w * v->A[i0 + 1];
      *q = (1 - w) * v->Q[i0] + w * v->Q[i0 + 1];
      *p = (1 - w) * HemoCellPressure(h, lv, i0) + w * HemoCellPressure(h, lv, i0 + 1);
    }
    *half = PETSC_FALSE;
  }
}

PetscErrorCode HemoDestroy(Hemo *hemo)
{
  Hemo h = *hemo;

  PetscFunctionBeginUser;
  if (!h) PetscFunctionReturn(0);
  /* also after a HemoSetUp() that failed part-way (a sweep goes on to the next case): every pointer is
     NULL until allocated */
  if (h->x) PetscCall(VecRestoreArray(h->Xl, &h->x));
  PetscCall(HavocKernelDestroy(&h->kernel));
  PetscCall(PetscFree4(h->kv, h->gamma_visc, h->ends, h->W));
  PetscCall(PetscFree5(h->junction, h->ju, h->q_last, h->jA, h->jQ));
  PetscCall(PetscFree2(h->ju_prev, h->oparam));
  PetscCall(PetscFree(h->kv_pool));
  PetscCall(VecDestroy(&h->Xl));
  PetscCall(VecDestroy(&h->Xg));
  PetscCall(HavocWaveformDestroy(&h->inlet));
  PetscCall(NetworkDestroy(&h->net));
  PetscCall(PetscFree(*hemo));
  PetscFunctionReturn(0);
}

/* The scalars of the state, in one record. */
typedef struct {
  PetscReal t, dt, dt_next, t_end, vol_in, vol_out;
  PetscInt  step, jstatic, max_cycles;
  PetscBool stop;
} HemoScalars;

/* Every array of the state, in the order of the records; bytes of each. */
static void HemoArrays(Hemo h, void *arrays[], size_t bytes[], PetscInt *n)
{
  const size_t nv = (size_t)h->net->nvessels, nx = (size_t)h->net->nvertices;
  PetscInt     k = 0;

  arrays[k] = h->ends, bytes[k++] = nv * sizeof(*h->ends);
  arrays[k] = h->W, bytes[k++] = nv * sizeof(*h->W);
  arrays[k] = h->ju, bytes[k++] = nx * sizeof(*h->ju);
  arrays[k] = h->ju_prev, bytes[k++] = nx * sizeof(*h->ju_prev);
  arrays[k] = h->jA, bytes[k++] = nx * sizeof(*h->jA);
  arrays[k] = h->jQ, bytes[k++] = nx * sizeof(*h->jQ);
  arrays[k] = h->q_last, bytes[k++] = nx * sizeof(*h->q_last);
  arrays[k] = h->oparam, bytes[k++] = nx * sizeof(*h->oparam);
  *n = k;
}

static const char *const hemo_records[] = {"hemo.ends", "hemo.W", "hemo.ju", "hemo.ju_prev", "hemo.jA", "hemo.jQ", "hemo.q_last", "hemo.oparam"};

PetscErrorCode HemoCheckpointWrite(Hemo h, HavocCheckpoint ck)
{
  HemoScalars        s;
  PetscInt           n, nl, ng;
  void              *arrays[8];
  size_t             bytes[8];
  PetscReal         *bnd;
  const PetscScalar *xg;

  PetscFunctionBeginUser;
  PetscCall(PetscMemzero(&s, sizeof(s)));
  s.t = h->t, s.dt = h->dt, s.dt_next = h->dt_next, s.t_end = h->t_end, s.vol_in = h->vol_in, s.vol_out = h->vol_out;
  s.step = h->step, s.jstatic = h->jstatic, s.max_cycles = h->max_cycles, s.stop = h->stop;
  PetscCall(HavocCheckpointWrite(ck, "hemo.scalars", &s, sizeof(s)));
  PetscCall(VecGetLocalSize(h->Xl, &nl));
  PetscCall(VecGetLocalSize(h->Xg, &ng));
  PetscCall(HavocCheckpointWrite(ck, "hemo.Xl", h->x, (size_t)nl * sizeof(PetscScalar)));
  PetscCall(VecGetArrayRead(h->Xg, &xg));
  PetscCall(HavocCheckpointWrite(ck, "hemo.Xg", xg, (size_t)ng * sizeof(PetscScalar)));
  PetscCall(VecRestoreArrayRead(h->Xg, &xg));
  /* the boundary values of the last step, the slopes' ghosts */
  PetscCall(PetscMalloc1(4 * h->net->nvessels + 1, &bnd));
  for (PetscInt i = 0; i < h->net->nvessels; i++)
    for (PetscInt e = 0; e < 2; e++) {
      bnd[4 * i + e]     = h->kv[i].pb[e];
      bnd[4 * i + 2 + e] = h->kv[i].qb[e];
    }
  PetscCall(HavocCheckpointWrite(ck, "hemo.boundary", bnd, 4 * (size_t)h->net->nvessels * sizeof(PetscReal)));
  PetscCall(PetscFree(bnd));
  HemoArrays(h, arrays, bytes, &n);
  for (PetscInt k = 0; k < n; k++)
    PetscCall(HavocCheckpointWrite(ck, hemo_records[k], arrays[k], bytes[k]));
  PetscFunctionReturn(0);
}

PetscErrorCode HemoCheckpointRead(Hemo h, HavocCheckpoint ck)
{
  HemoScalars  s;
  PetscInt     n, nl, ng;
  void        *arrays[8];
  size_t       bytes[8];
  PetscReal   *bnd;
  PetscScalar *xg;

  PetscFunctionBeginUser;
  PetscCall(HavocCheckpointRead(ck, "hemo.scalars", &s, sizeof(s)));
  h->t = s.t, h->dt = s.dt, h->dt_next = s.dt_next, h->t_end = s.t_end, h->vol_in = s.vol_in, h->vol_out = s.vol_out;
  h->step = s.step, h->jstatic = s.jstatic, h->max_cycles = s.max_cycles, h->stop = s.stop;
  PetscCall(VecGetLocalSize(h->Xl, &nl));
  PetscCall(VecGetLocalSize(h->Xg, &ng));
  PetscCall(HavocCheckpointRead(ck, "hemo.Xl", h->x, (size_t)nl * sizeof(PetscScalar)));
  PetscCall(VecGetArray(h->Xg, &xg));
  PetscCall(HavocCheckpointRead(ck, "hemo.Xg", xg, (size_t)ng * sizeof(PetscScalar)));
  PetscCall(VecRestoreArray(h->Xg, &xg));
  PetscCall(PetscMalloc1(4 * h->net->nvessels + 1, &bnd));
  PetscCall(HavocCheckpointRead(ck, "hemo.boundary", bnd, 4 * (size_t)h->net->nvessels * sizeof(PetscReal)));
  for (PetscInt i = 0; i < h->net->nvessels; i++)
    for (PetscInt e = 0; e < 2; e++) {
      h->kv[i].pb[e] = bnd[4 * i + e];
      h->kv[i].qb[e] = bnd[4 * i + 2 + e];
    }
  PetscCall(PetscFree(bnd));
  HemoArrays(h, arrays, bytes, &n);
  for (PetscInt k = 0; k < n; k++)
    PetscCall(HavocCheckpointRead(ck, hemo_records[k], arrays[k], bytes[k]));
  PetscFunctionReturn(0);
}
