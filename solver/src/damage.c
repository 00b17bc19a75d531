/* The three-state tissue damage model: see damage.h for the equations and their source. */
#include "damage.h"

#include <math.h>

/* phi1(z) = (1 - e^-z) / z and phi2(z) = (e^-z - 1 + z) / z^2 for z >= 0; the Taylor series near 0,
   where the closed forms lose every digit to cancellation. */
static void Phi(PetscReal z, PetscReal *e, PetscReal *p1, PetscReal *p2)
{
  *e = PetscExpReal(-z);
  if (z < 1e-3) {
    *p1 = 1 - z / 2 * (1 - z / 3 * (1 - z / 4));
    *p2 = 0.5 - z / 6 * (1 - z / 4 * (1 - z / 5));
  } else {
    *p1 = -expm1(-z) / z;
    *p2 = (*e - 1 + z) / (z * z);
  }
}

/* The exact solution of dT/dt = a - b T (b >= 0) from T0 over a time h: the end value and the integral
   of T over the interval. */
static void Linear(PetscReal a, PetscReal b, PetscReal T0, PetscReal h, PetscReal *T, PetscReal *S)
{
  PetscReal e, p1, p2;

  Phi(b * h, &e, &p1, &p2);
  *T = T0 * e + a * h * p1;
  *S = T0 * h * p1 + a * h * h * p2;
}

/* One pass over a step of length h with the alive fraction frozen at A: T is linear then, so it is
   advanced exactly; *J is the integral of T over the part of the step where T > Td, the only part that
   kills. T(t) is monotone within the pass, so it crosses Td at most once, at a time found exactly. */
static void Pass(const HavocDamage *d, PetscReal V, PetscReal A, PetscReal h, PetscReal T0, PetscReal *T1, PetscReal *J)
{
  const PetscReal a = d->scale * d->kt * V, b = d->scale * (d->kt * V + d->kc * (1 - V) * A);
  PetscReal       S, tc, Tc;

  Linear(a, b, T0, h, T1, &S);
  if (T0 > d->Td && *T1 > d->Td) *J = S;
  else if (T0 <= d->Td && *T1 <= d->Td) *J = 0;
  else {
    /* Written with log1p so that it tends to the linear-growth crossing time as b -> 0; b > 0 here, since
       b = 0 forces a = 0 and a constant T. */
    tc = -log1p(b * (d->Td - T0) / (b * T0 - a)) / b;
    tc = PetscMin(PetscMax(tc, 0), h);
    if (T0 > d->Td) Linear(a, b, T0, tc, &Tc, J);
    else Linear(a, b, d->Td, h - tc, &Tc, J);
  }
}

void HavocDamageDefaults(HavocDamage *d)
{
  d->kf    = 6.0644e-4;
  d->kt    = 4.29805e-3;
  d->kc    = 0.0999227;
  d->Td    = 0.0916;
  d->scale = 1;
}

void HavocDamageStep(const HavocDamage *d, PetscReal V, PetscReal dt, PetscReal *T, PetscReal *D)
{
  /* V comes from an oxygen or perfusion ratio that may stray from [0, 1] by rounding. */
  const PetscReal v = PetscMin(PetscMax(V, 0), 1), T0 = PetscMin(PetscMax(*T, 0), 1), D0 = PetscMin(PetscMax(*D, 0), 1), A0 = 1 - D0;
  PetscReal       T1, J, Am, D1;

  if (!(dt > 0)) return;
  /* Given T(t), A = A0 exp(-s kf int T) exactly. The predictor freezes A at its start to get T(t); the
     corrector freezes it at the midpoint value that predictor implies, which makes the step second
     order in the coupling of T to A. */
  Pass(d, v, A0, dt, T0, &T1, &J);
  Am = A0 * PetscExpReal(-0.5 * d->scale * d->kf * J);
  Pass(d, v, Am, dt, T0, &T1, &J);
  D1 = D0 - A0 * expm1(-d->scale * d->kf * J);
  *T = PetscMin(PetscMax(T1, 0), 1);
  *D = PetscMin(PetscMax(D1, D0), 1);
}

PetscErrorCode HavocDamageTimeTo(const HavocDamage *d, PetscReal V, PetscReal D_target, PetscReal t_max, PetscReal dt, PetscReal *t)
{
  PetscReal T = 0, D = 0, D_prev, t0, t1;
  PetscInt  n;

  PetscFunctionBeginUser;
  PetscCheck(D_target > 0 && D_target < 1, PETSC_COMM_SELF, PETSC_ERR_ARG_OUTOFRANGE, "tissue damage: the target dead fraction must lie in (0, 1), not %g", (double)D_target);
  PetscCheck(dt > 0 && t_max > 0, PETSC_COMM_SELF, PETSC_ERR_ARG_OUTOFRANGE, "tissue damage: the time step (%g s) and the time limit (%g s) must be positive", (double)dt, (double)t_max);
  *t = PETSC_MAX_REAL;
  n  = (PetscInt)PetscCeilReal(t_max / dt);
  for (PetscInt i = 0; i < n; i++) {
    t0     = i * dt;
    t1     = PetscMin((i + 1) * dt, t_max);
    D_prev = D;
    HavocDamageStep(d, V, t1 - t0, &T, &D);
    if (D >= D_target) {
      *t = t0 + (t1 - t0) * (D_target - D_prev) / (D - D_prev);
      break;
    }
  }
  PetscFunctionReturn(0);
}

PetscErrorCode HavocDamageCalibrate(const HavocDamage *base, PetscReal t_target, PetscReal D_target, PetscReal *scale)
{
  PetscReal u_c, L, w, dw, e;
  PetscInt  it;

  PetscFunctionBeginUser;
  PetscCheck(t_target > 0, PETSC_COMM_SELF, PETSC_ERR_ARG_OUTOFRANGE, "tissue damage calibration: the time to damage must be positive, not %g s", (double)t_target);
  PetscCheck(D_target > 0 && D_target < 1, PETSC_COMM_SELF, PETSC_ERR_ARG_OUTOFRANGE, "tissue damage calibration: the target dead fraction must lie in (0, 1), not %g", (double)D_target);
  PetscCheck(base->kf > 0 && base->kt > 0 && base->Td >= 0 && base->Td < 1, PETSC_COMM_SELF, PETSC_ERR_ARG_OUTOFRANGE, "tissue damage calibration: needs kf > 0, kt > 0 and 0 <= Td < 1 (have kf %g, kt %g, Td %g)", (double)base->kf, (double)base->kt, (double)base->Td);
  /* At V = 1 clearance vanishes and, in the time u = s t, T = 1 - exp(-kt u) whatever A is: T passes Td
     at u_c, and from there A = exp(-kf int T), so D_target is reached when G(w) = int_{u_c}^{u_c + w} T
     equals L = -ln(1 - D_target) / kf. G is increasing and convex, so Newton's method started to the
     right of the root, where G >= L, descends onto it monotonically. */
  u_c = -log1p(-base->Td) / base->kt;
  L   = -log1p(-D_target) / base->kf;
  w   = L + (1 - base->Td) / base->kt;
  for (it = 0; it < 100; it++) {
    e  = PetscExpReal(-base->kt * w);
    dw = (w + (1 - base->Td) * expm1(-base->kt * w) / base->kt - L) / (1 - (1 - base->Td) * e);
    w -= dw;
    if (PetscAbsReal(dw) <= 1e-13 * (u_c + w)) break;
  }
  PetscCheck(it < 100, PETSC_COMM_SELF, PETSC_ERR_NOT_CONVERGED, "tissue damage calibration: no convergence for D = %g at t = %g s", (double)D_target, (double)t_target);
  *scale = (u_c + w) / t_target;
  PetscFunctionReturn(0);
}
