/* Tissue oxygen: the steady reaction-diffusion balance of oxygen on a map of tissue cells (oxygen.h).
   Parameters: ../reference/ha-enzyme-ischemia.md section 4A (skin consumption at 33-35 C, O2 diffusivity
   and solubility, haemoglobin saturation curve, uptake through the skin surface), converted to SI. */
#include "oxygen.h"
#include "options.h"

#define MMHG 133.322387415 /* Pa */

const char *const OxygenConsumptions[] = {"michaelis_menten", "linear", "OxygenConsumption", "OXYGEN_", NULL};

struct _p_Oxygen {
  MPI_Comm     comm;
  DM           da;
  PetscReal    dx, dy;
  OxygenParams p;
  Vec          kind, w, Pfix; /* global vectors of da */
  Vec          kind_local;    /* kind with ghosts, refreshed before each solve */
  SNES         snes;
};

static void Defaults(OxygenParams *p)
{
  p->alpha       = 1.3e-3 / MMHG; /* 3e-5 mL O2 per mL per mmHg */
  p->D           = 2e-9;
  p->consumption = OXYGEN_MICHAELIS_MENTEN;
  p->M0          = 1.3e-3; /* skin at 33-35 C: 1-1.5e-3 mol m^-3 s^-1 */
  p->Pm          = 1 * MMHG;
  p->k_lin       = 0;
  p->P_a         = 95 * MMHG;
  p->C_Hb        = 8.93; /* 0.2 mL O2 per mL of blood (haematocrit 0.45), 22.4 L/mol */
  p->alpha_b     = 1.3e-3 / MMHG;
  p->P50         = 26.8 * MMHG;
  p->hill        = 2.7;
  p->surface     = PETSC_TRUE;
  p->P_s         = 150 * MMHG;
  /* 0.53 mL O2 min^-1 m^-2 through the skin at a tissue PO2 of about 60 mmHg under 150 mmHg */
  p->s_cond = 0.53e-6 / 60 / 22.4e-3 / (90 * MMHG);
  p->H      = 2e-3;
}

PetscReal OxygenBloodContent(const OxygenParams *p, PetscReal P)
{
  const PetscReal x = P > 0 ? PetscPowReal(P / p->P50, p->hill) : 0;

  return p->C_Hb * x / (1 + x) + p->alpha_b * P;
}

/* d content / dP */
static PetscReal ContentSlope(const OxygenParams *p, PetscReal P)
{
  PetscReal x, dS = 0;

  if (P > 0) {
    x  = PetscPowReal(P / p->P50, p->hill);
    dS = p->hill * x / (P * (1 + x) * (1 + x));
  }
  return p->C_Hb * dS + p->alpha_b;
}

/* Consumption and its slope; the Michaelis-Menten law is continued oddly below zero, so that Newton
   iterates that overshoot to negative values are pushed back. */
static void Consumption(const OxygenParams *p, PetscReal P, PetscReal *M, PetscReal *dM)
{
  if (p->consumption == OXYGEN_LINEAR) {
    *M  = p->k_lin * P;
    *dM = p->k_lin;
  } else {
    const PetscReal d = PetscAbsReal(P) + p->Pm;
    *M                = p->M0 * P / d;
    *dM               = p->M0 * p->Pm / (d * d);
  }
}

static PetscErrorCode FormFunctionLocal(DMDALocalInfo *info, PetscScalar **P, PetscScalar **F, void *ptr)
{
  Oxygen              o = (Oxygen)ptr;
  const OxygenParams *p = &o->p;
  const PetscScalar **w, **Pfix, **kind;
  const PetscReal     cx = p->alpha * p->D / (o->dx * o->dx), cy = p->alpha * p->D / (o->dy * o->dy);
  const PetscReal     Ca = OxygenBloodContent(p, p->P_a), sH = p->surface ? p->s_cond / p->H : 0;

  PetscFunctionBeginUser;
  PetscCall(DMDAVecGetArrayRead(o->da, o->w, &w));
  PetscCall(DMDAVecGetArrayRead(o->da, o->Pfix, &Pfix));
  PetscCall(DMDAVecGetArrayRead(o->da, o->kind_local, &kind));
  for (PetscInt j = info->ys; j < info->ys + info->ym; j++)
    for (PetscInt i = info->xs; i < info->xs + info->xm; i++) {
      const PetscInt k   = (PetscInt)kind[j][i];
      PetscReal      lap = 0, M, dM;
      if (k == OXYGEN_OUTSIDE) {
        F[j][i] = P[j][i];
        continue;
      }
      if (k == OXYGEN_FIXED) {
        F[j][i] = P[j][i] - Pfix[j][i];
        continue;
      }
      if (i > 0 && (PetscInt)kind[j][i - 1] != OXYGEN_OUTSIDE) lap += cx * (P[j][i - 1] - P[j][i]);
      if (i < info->mx - 1 && (PetscInt)kind[j][i + 1] != OXYGEN_OUTSIDE) lap += cx * (P[j][i + 1] - P[j][i]);
      if (j > 0 && (PetscInt)kind[j - 1][i] != OXYGEN_OUTSIDE) lap += cy * (P[j - 1][i] - P[j][i]);
      if (j < info->my - 1 && (PetscInt)kind[j + 1][i] != OXYGEN_OUTSIDE) lap += cy * (P[j + 1][i] - P[j][i]);
      Consumption(p, P[j][i], &M, &dM);
      F[j][i] = lap + w[j][i] * (Ca - OxygenBloodContent(p, P[j][i])) - M + sH * (p->P_s - P[j][i]);
    }
  PetscCall(DMDAVecRestoreArrayRead(o->da, o->w, &w));
  PetscCall(DMDAVecRestoreArrayRead(o->da, o->Pfix, &Pfix));
  PetscCall(DMDAVecRestoreArrayRead(o->da, o->kind_local, &kind));
  PetscFunctionReturn(0);
}

static PetscErrorCode FormJacobianLocal(DMDALocalInfo *info, PetscScalar **P, Mat J, Mat B, void *ptr)
{
  Oxygen              o = (Oxygen)ptr;
  const OxygenParams *p = &o->p;
  const PetscScalar **w, **kind;
  const PetscReal     cx = p->alpha * p->D / (o->dx * o->dx), cy = p->alpha * p->D / (o->dy * o->dy), sH = p->surface ? p->s_cond / p->H : 0;

  PetscFunctionBeginUser;
  PetscCall(DMDAVecGetArrayRead(o->da, o->w, &w));
  PetscCall(DMDAVecGetArrayRead(o->da, o->kind_local, &kind));
  for (PetscInt j = info->ys; j < info->ys + info->ym; j++)
    for (PetscInt i = info->xs; i < info->xs + info->xm; i++) {
      const PetscInt k   = (PetscInt)kind[j][i];
      MatStencil     row = {.i = i, .j = j}, col[5];
      PetscScalar    v[5];
      PetscInt       n = 1;
      PetscReal      M, dM;
      col[0] = row;
      v[0]   = 1;
      if (k == OXYGEN_TISSUE) {
        Consumption(p, P[j][i], &M, &dM);
        v[0] = -w[j][i] * ContentSlope(p, P[j][i]) - dM - sH;
        if (i > 0 && (PetscInt)kind[j][i - 1] != OXYGEN_OUTSIDE) col[n] = (MatStencil){.i = i - 1, .j = j}, v[n++] = cx, v[0] -= cx;
        if (i < info->mx - 1 && (PetscInt)kind[j][i + 1] != OXYGEN_OUTSIDE) col[n] = (MatStencil){.i = i + 1, .j = j}, v[n++] = cx, v[0] -= cx;
        if (j > 0 && (PetscInt)kind[j - 1][i] != OXYGEN_OUTSIDE) col[n] = (MatStencil){.i = i, .j = j - 1}, v[n++] = cy, v[0] -= cy;
        if (j < info->my - 1 && (PetscInt)kind[j + 1][i] != OXYGEN_OUTSIDE) col[n] = (MatStencil){.i = i, .j = j + 1}, v[n++] = cy, v[0] -= cy;
      }
      PetscCall(MatSetValuesStencil(B, 1, &row, n, col, v, INSERT_VALUES));
    }
  PetscCall(DMDAVecRestoreArrayRead(o->da, o->w, &w));
  PetscCall(DMDAVecRestoreArrayRead(o->da, o->kind_local, &kind));
  PetscCall(MatAssemblyBegin(B, MAT_FINAL_ASSEMBLY));
  PetscCall(MatAssemblyEnd(B, MAT_FINAL_ASSEMBLY));
  if (J != B) {
    PetscCall(MatAssemblyBegin(J, MAT_FINAL_ASSEMBLY));
    PetscCall(MatAssemblyEnd(J, MAT_FINAL_ASSEMBLY));
  }
  PetscFunctionReturn(0);
}

PetscErrorCode OxygenCreate(DM da, PetscReal dx, PetscReal dy, Oxygen *out)
{
  Oxygen o;

  PetscFunctionBeginUser;
  PetscCall(PetscNew(&o));
  PetscCall(PetscObjectGetComm((PetscObject)da, &o->comm));
  PetscCall(PetscObjectReference((PetscObject)da));
  o->da = da;
  o->dx = dx;
  o->dy = dy;
  Defaults(&o->p);
  PetscCall(DMCreateGlobalVector(da, &o->kind));
  PetscCall(VecDuplicate(o->kind, &o->w));
  PetscCall(VecDuplicate(o->kind, &o->Pfix));
  PetscCall(DMCreateLocalVector(da, &o->kind_local));
  PetscCall(VecSet(o->kind, OXYGEN_TISSUE));
  PetscCall(VecSet(o->w, 0));
  PetscCall(VecSet(o->Pfix, 0));
  PetscCall(SNESCreate(o->comm, &o->snes));
  PetscCall(SNESSetOptionsPrefix(o->snes, "tissue_o2_"));
  PetscCall(SNESSetDM(o->snes, da));
  PetscCall(DMDASNESSetFunctionLocal(da, INSERT_VALUES, (PetscErrorCode(*)(DMDALocalInfo *, void *, void *, void *))FormFunctionLocal, o));
  PetscCall(DMDASNESSetJacobianLocal(da, (PetscErrorCode(*)(DMDALocalInfo *, void *, Mat, Mat, void *))FormJacobianLocal, o));
  PetscCall(SNESSetTolerances(o->snes, 1e-12, 1e-10, 1e-12, 50, PETSC_DEFAULT));
  {
    /* linear solves to round-off: the map must not depend on how many ranks share it */
    KSP ksp;
    PetscCall(SNESGetKSP(o->snes, &ksp));
    PetscCall(KSPSetTolerances(ksp, 1e-13, 1e-50, PETSC_DEFAULT, 1000));
  }
  *out = o;
  PetscFunctionReturn(0);
}

PetscErrorCode OxygenParamsDefault(OxygenParams *p)
{
  PetscFunctionBeginUser;
  Defaults(p);
  PetscFunctionReturn(0);
}

PetscErrorCode OxygenParamsSetFromOptions(MPI_Comm comm, OxygenParams *p)
{
  PetscEnum cons = (PetscEnum)p->consumption;

  PetscFunctionBeginUser;
  PetscOptionsBegin(comm, "tissue_o2_", "Tissue oxygen (docs/model.md, Tissue)", NULL);
  PetscCall(HavocOptionsQuantity("-solubility", "O2 solubility in tissue", "mol m^-3 Pa^-1", p->alpha, &p->alpha, NULL, HAVOC_POSITIVE, PETSC_MAX_REAL));
  PetscCall(HavocOptionsQuantity("-diffusivity", "O2 diffusivity in tissue", "m^2 s^-1", p->D, &p->D, NULL, 0, PETSC_MAX_REAL));
  PetscCall(PetscOptionsEnum("-consumption", "law of the tissue's O2 consumption", NULL, OxygenConsumptions, cons, &cons, NULL));
  p->consumption = (OxygenConsumption)cons;
  PetscCall(HavocOptionsQuantity("-consumption_max", "largest O2 consumption of the tissue (Michaelis-Menten)", "mol m^-3 s^-1", p->M0, &p->M0, NULL, 0, PETSC_MAX_REAL));
  PetscCall(HavocOptionsQuantity("-consumption_half", "O2 partial pressure of half the largest consumption", "Pa", p->Pm, &p->Pm, NULL, HAVOC_POSITIVE, PETSC_MAX_REAL));
  PetscCall(HavocOptionsQuantity("-consumption_rate", "O2 consumption per partial pressure (linear law)", "mol m^-3 s^-1 Pa^-1", p->k_lin, &p->k_lin, NULL, 0, PETSC_MAX_REAL));
  PetscCall(HavocOptionsQuantity("-arterial", "arterial O2 partial pressure", "Pa", p->P_a, &p->P_a, NULL, 0, PETSC_MAX_REAL));
  PetscCall(HavocOptionsQuantity("-hb_capacity", "O2 bound to haemoglobin in fully saturated blood", "mol m^-3", p->C_Hb, &p->C_Hb, NULL, 0, PETSC_MAX_REAL));
  PetscCall(HavocOptionsQuantity("-blood_solubility", "O2 solubility in blood", "mol m^-3 Pa^-1", p->alpha_b, &p->alpha_b, NULL, 0, PETSC_MAX_REAL));
  PetscCall(HavocOptionsQuantity("-p50", "O2 partial pressure of half saturation of haemoglobin", "Pa", p->P50, &p->P50, NULL, HAVOC_POSITIVE, PETSC_MAX_REAL));
  PetscCall(HavocOptionsQuantity("-hill", "Hill exponent of the saturation curve", "", p->hill, &p->hill, NULL, HAVOC_POSITIVE, PETSC_MAX_REAL));
  PetscCall(PetscOptionsBool("-surface", "oxygen through the skin surface", NULL, p->surface, &p->surface, NULL));
  PetscCall(HavocOptionsQuantity("-surface_pressure", "O2 partial pressure at the skin surface", "Pa", p->P_s, &p->P_s, NULL, 0, PETSC_MAX_REAL));
  PetscCall(HavocOptionsQuantity("-surface_conductance", "O2 conductance of the epidermis", "mol m^-2 s^-1 Pa^-1", p->s_cond, &p->s_cond, NULL, 0, PETSC_MAX_REAL));
  PetscCall(HavocOptionsQuantity("-thickness", "thickness of the tissue under the surface", "m", p->H, &p->H, NULL, HAVOC_POSITIVE, PETSC_MAX_REAL));
  PetscOptionsEnd();
  PetscFunctionReturn(0);
}

PetscErrorCode OxygenSetParams(Oxygen o, const OxygenParams *p)
{
  PetscFunctionBeginUser;
  o->p = *p;
  PetscFunctionReturn(0);
}

PetscErrorCode OxygenGetFields(Oxygen o, Vec *kind, Vec *w, Vec *P_fixed)
{
  PetscFunctionBeginUser;
  if (kind) *kind = o->kind;
  if (w) *w = o->w;
  if (P_fixed) *P_fixed = o->Pfix;
  PetscFunctionReturn(0);
}

PetscErrorCode OxygenSolve(Oxygen o, Vec P)
{
  SNESConvergedReason reason;
  PetscInt            its;

  PetscFunctionBeginUser;
  PetscCall(DMGlobalToLocal(o->da, o->kind, INSERT_VALUES, o->kind_local));
  PetscCall(SNESSolve(o->snes, NULL, P));
  PetscCall(SNESGetConvergedReason(o->snes, &reason));
  PetscCall(SNESGetIterationNumber(o->snes, &its));
  PetscCheck(reason > 0, o->comm, PETSC_ERR_NOT_CONVERGED, "tissue oxygen: Newton's method did not converge (%s) in %" PetscInt_FMT " iterations", SNESConvergedReasons[reason], its);
  PetscFunctionReturn(0);
}

PetscErrorCode OxygenDestroy(Oxygen *oo)
{
  Oxygen o = *oo;

  PetscFunctionBeginUser;
  if (!o) PetscFunctionReturn(0);
  PetscCall(SNESDestroy(&o->snes));
  PetscCall(VecDestroy(&o->kind));
  PetscCall(VecDestroy(&o->w));
  PetscCall(VecDestroy(&o->Pfix));
  PetscCall(VecDestroy(&o->kind_local));
  PetscCall(DMDestroy(&o->da));
  PetscCall(PetscFree(o));
  *oo = NULL;
  PetscFunctionReturn(0);
}
