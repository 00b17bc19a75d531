/* Hyaluronidase in the tissue: diffusion and decay of the active enzyme on the map (enzyme_tissue.h).
   Decay and diffusion commute (constant coefficients), so applying them one after the other is exact in
   time; diffusion is a conservative 5-point Laplacian advanced by classical Runge-Kutta in sub-steps
   within its stability limit. */
#include "enzyme_tissue.h"

struct _p_EnzymeTissue {
  MPI_Comm  comm;
  DM        da;
  PetscReal dx, origin[2], H, D, lambda;
  Vec       c, cl; /* the field, and a local (ghosted) work vector */
  TS        ts;
  PetscReal injected, decayed, taken;
};

static PetscErrorCode Diffusion(TS ts, PetscReal time, Vec C, Vec F, void *ctx)
{
  EnzymeTissue        et = (EnzymeTissue)ctx;
  DMDALocalInfo       info;
  const PetscScalar **c;
  PetscScalar       **f;
  const PetscReal     k = et->D / (et->dx * et->dx);

  PetscFunctionBeginUser;
  (void)ts;
  (void)time;
  PetscCall(DMGlobalToLocal(et->da, C, INSERT_VALUES, et->cl));
  PetscCall(DMDAGetLocalInfo(et->da, &info));
  PetscCall(DMDAVecGetArrayRead(et->da, et->cl, &c));
  PetscCall(DMDAVecGetArray(et->da, F, &f));
  for (PetscInt j = info.ys; j < info.ys + info.ym; j++)
    for (PetscInt i = info.xs; i < info.xs + info.xm; i++) {
      PetscReal s = 0;
      if (i > 0) s += c[j][i - 1] - c[j][i];
      if (i < info.mx - 1) s += c[j][i + 1] - c[j][i];
      if (j > 0) s += c[j - 1][i] - c[j][i];
      if (j < info.my - 1) s += c[j + 1][i] - c[j][i];
      f[j][i] = k * s;
    }
  PetscCall(DMDAVecRestoreArrayRead(et->da, et->cl, &c));
  PetscCall(DMDAVecRestoreArray(et->da, F, &f));
  PetscFunctionReturn(0);
}

PetscErrorCode EnzymeTissueCreate(DM da, PetscReal dx, const PetscReal origin[2], PetscReal H, EnzymeTissue *out)
{
  EnzymeTissue et;

  PetscFunctionBeginUser;
  PetscCall(PetscNew(&et));
  PetscCall(PetscObjectGetComm((PetscObject)da, &et->comm));
  PetscCall(PetscObjectReference((PetscObject)da));
  et->da        = da;
  et->dx        = dx;
  et->origin[0] = origin[0];
  et->origin[1] = origin[1];
  et->H         = H;
  et->D         = 2e-11;
  et->lambda    = PetscLogReal(2.0) / (20 * 60);
  PetscCall(DMCreateGlobalVector(da, &et->c));
  PetscCall(DMCreateLocalVector(da, &et->cl));
  PetscCall(VecSet(et->c, 0));
  PetscCall(TSCreate(et->comm, &et->ts));
  PetscCall(TSSetProblemType(et->ts, TS_LINEAR));
  PetscCall(TSSetType(et->ts, TSRK));
  PetscCall(TSRKSetType(et->ts, TSRK4));
  PetscCall(TSSetRHSFunction(et->ts, NULL, Diffusion, et));
  PetscCall(TSSetExactFinalTime(et->ts, TS_EXACTFINALTIME_MATCHSTEP));
  PetscCall(TSSetMaxSteps(et->ts, PETSC_MAX_INT));
  {
    TSAdapt adapt;
    PetscCall(TSGetAdapt(et->ts, &adapt));
    PetscCall(TSAdaptSetType(adapt, TSADAPTNONE));
  }
  *out = et;
  PetscFunctionReturn(0);
}

PetscErrorCode EnzymeTissueSetParameters(EnzymeTissue et, PetscReal D, PetscReal half_life)
{
  PetscFunctionBeginUser;
  et->D      = D;
  et->lambda = half_life > 0 ? PetscLogReal(2.0) / half_life : 0;
  PetscFunctionReturn(0);
}

/* The share of a unit Gaussian (centre 0, deviation s) on [a, b]. */
static PetscReal Share(PetscReal a, PetscReal b, PetscReal s)
{
  return 0.5 * (PetscErfReal(b / (PETSC_SQRT2 * s)) - PetscErfReal(a / (PETSC_SQRT2 * s)));
}

PetscErrorCode EnzymeTissueAddBleb(EnzymeTissue et, PetscReal x0, PetscReal y0, PetscReal U, PetscReal V)
{
  const PetscReal sigma = PetscSqrtReal(V / (et->H * 2 * PETSC_PI));
  DMDALocalInfo   info;
  PetscScalar   **c;
  PetscReal       sum = 0, *w;
  PetscInt        n   = 0;

  PetscFunctionBeginUser;
  PetscCall(DMDAGetLocalInfo(et->da, &info));
  PetscCall(PetscMalloc1(info.xm * info.ym + 1, &w));
  for (PetscInt j = info.ys; j < info.ys + info.ym; j++)
    for (PetscInt i = info.xs; i < info.xs + info.xm; i++) {
      const PetscReal xa = et->origin[0] + i * et->dx - x0, ya = et->origin[1] + j * et->dx - y0;
      w[n] = Share(xa, xa + et->dx, sigma) * Share(ya, ya + et->dx, sigma);
      sum += w[n++];
    }
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, &sum, 1, MPIU_REAL, MPIU_SUM, et->comm));
  HavocCheckUser(sum > 0, et->comm, "a hyaluronidase bleb at (%g, %g) mm falls outside the face map", (double)(1e3 * x0), (double)(1e3 * y0));
  PetscCall(DMDAVecGetArray(et->da, et->c, &c));
  n = 0;
  for (PetscInt j = info.ys; j < info.ys + info.ym; j++)
    for (PetscInt i = info.xs; i < info.xs + info.xm; i++)
      c[j][i] += U * w[n++] / sum / (et->H * et->dx * et->dx);
  PetscCall(DMDAVecRestoreArray(et->da, et->c, &c));
  PetscCall(PetscFree(w));
  et->injected += U;
  PetscFunctionReturn(0);
}

PetscErrorCode EnzymeTissueAddWeighted(EnzymeTissue et, Vec w, PetscReal U, PetscBool *placed)
{
  PetscReal sum;

  PetscFunctionBeginUser;
  PetscCall(VecSum(w, &sum));
  *placed = (PetscBool)(sum > 0);
  if (!*placed) PetscFunctionReturn(0);
  PetscCall(VecAXPY(et->c, U / (sum * et->H * et->dx * et->dx), w));
  et->injected += U;
  PetscFunctionReturn(0);
}

PetscErrorCode EnzymeTissueTake(EnzymeTissue et, Vec units)
{
  PetscReal sum;

  PetscFunctionBeginUser;
  PetscCall(VecSum(units, &sum));
  PetscCall(VecAXPY(et->c, -1 / (et->H * et->dx * et->dx), units));
  et->taken += sum;
  PetscFunctionReturn(0);
}

PetscErrorCode EnzymeTissueGetLayer(EnzymeTissue et, PetscReal *H)
{
  PetscFunctionBeginUser;
  *H = et->H;
  PetscFunctionReturn(0);
}

PetscErrorCode EnzymeTissueAdvance(EnzymeTissue et, PetscReal h)
{
  const PetscReal decay = PetscExpReal(-et->lambda * h), dt_max = 0.9 * 2.78 * et->dx * et->dx / (8 * PetscMax(et->D, PETSC_SMALL));
  PetscReal       mass, t0;
  PetscInt        nsub = (PetscInt)PetscCeilReal(h / dt_max);

  PetscFunctionBeginUser;
  if (!(h > 0)) PetscFunctionReturn(0);
  PetscCall(VecSum(et->c, &mass));
  et->decayed += (1 - decay) * mass * et->H * et->dx * et->dx;
  PetscCall(VecScale(et->c, decay));
  if (et->D > 0) {
    PetscCall(TSGetTime(et->ts, &t0));
    PetscCall(TSSetTimeStep(et->ts, h / PetscMax(nsub, 1)));
    PetscCall(TSSetMaxTime(et->ts, t0 + h));
    PetscCall(TSSolve(et->ts, et->c));
  }
  PetscFunctionReturn(0);
}

/* The field, its balance and its diffusion clock, written or read. */
PetscErrorCode EnzymeTissueCheckpoint(EnzymeTissue et, HavocCheckpoint ck, PetscBool write)
{
  PetscReal    sc[4] = {et->injected, et->decayed, et->taken, 0};
  PetscInt     n;
  PetscScalar *c;

  PetscFunctionBeginUser;
  PetscCall(TSGetTime(et->ts, &sc[3]));
  PetscCall(HavocCheckpointRecord(ck, write, "enzyme.scalars", sc, sizeof(sc)));
  PetscCall(VecGetLocalSize(et->c, &n));
  PetscCall(VecGetArray(et->c, &c));
  PetscCall(HavocCheckpointRecord(ck, write, "enzyme.c", c, (size_t)n * sizeof(PetscScalar)));
  PetscCall(VecRestoreArray(et->c, &c));
  if (write) PetscFunctionReturn(0);
  et->injected = sc[0], et->decayed = sc[1], et->taken = sc[2];
  PetscCall(TSSetTime(et->ts, sc[3]));
  PetscFunctionReturn(0);
}

PetscErrorCode EnzymeTissueGetField(EnzymeTissue et, Vec *c)
{
  PetscFunctionBeginUser;
  *c = et->c;
  PetscFunctionReturn(0);
}

PetscErrorCode EnzymeTissueGetBalance(EnzymeTissue et, PetscReal *injected, PetscReal *on_map, PetscReal *decayed, PetscReal *taken)
{
  PetscReal mass;

  PetscFunctionBeginUser;
  PetscCall(VecSum(et->c, &mass));
  *injected = et->injected;
  *on_map   = mass * et->H * et->dx * et->dx;
  *decayed  = et->decayed;
  if (taken) *taken = et->taken;
  PetscFunctionReturn(0);
}

PetscErrorCode EnzymeTissueDestroy(EnzymeTissue *pet)
{
  EnzymeTissue et = *pet;

  PetscFunctionBeginUser;
  if (!et) PetscFunctionReturn(0);
  PetscCall(TSDestroy(&et->ts));
  PetscCall(VecDestroy(&et->c));
  PetscCall(VecDestroy(&et->cl));
  PetscCall(DMDestroy(&et->da));
  PetscCall(PetscFree(et));
  *pet = NULL;
  PetscFunctionReturn(0);
}
