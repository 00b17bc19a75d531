/* Unit tests of the numerical kernels: tube law, Riemann fluxes, the vessel sweep, junctions, boundary
   solvers and inlet tables. Tolerances are small multiples of machine epsilon where the property is an
   identity, and state their origin where it is an approximation. */
#include <check.h>
#include "unittest.h"
#include <stdio.h>
#include <unistd.h>

#include "flux.h"
#include "junction.h"
#include "outlet.h"
#include "tubelaw.h"
#include "waveform.h"

#define EPS  PETSC_MACHINE_EPSILON
#define RHO  1060.0
#define PI   PETSC_PI
#define NTOL 16 /* allowance in units of machine epsilon for a chain of a few operations */

static HavocTube MakeTube(PetscReal r, PetscReal E, PetscReal h, PetscReal pref)
{
  HavocTube t;
  t.sqrtAr = PetscSqrtReal(PI * r * r);
  t.K      = HavocTubeBeta(E, h) / (t.sqrtAr * t.sqrtAr);
  t.pr     = pref;
  return t;
}

static HavocEnd MakeEnd(HavocTube t, PetscReal sign)
{
  HavocEnd e;
  e.tube  = t;
  e.rho   = RHO;
  e.gamma = HavocTubeGamma(&t, RHO);
  e.sign  = sign;
  return e;
}

/* A deterministic pseudo-random number in [0, 1). */
static PetscReal Uniform(unsigned long *state)
{
  *state = *state * 6364136223846793005UL + 1442695040888963407UL;
  return (PetscReal)(*state >> 11) / 9007199254740992.0;
}

START_TEST(tube_law_inverse)
{
  const HavocTube t = MakeTube(3e-3, 700e3, 0.3e-3, 10.9e3);
  for (PetscReal p = 2e3; p <= 30e3; p += 1e3) {
    const PetscReal A = HavocTubeArea(&t, p), back = HavocTubePressure(&t, A);
    ck_assert_msg(PetscAbsReal(back - p) <= NTOL * EPS * (PetscAbsReal(p) + t.K * t.sqrtAr), "p = %g: got %g back", p, back);
  }
  /* the reference state is a fixed point of the law */
  ck_assert(PetscAbsReal(HavocTubePressure(&t, t.sqrtAr * t.sqrtAr) - t.pr) <= NTOL * EPS * t.pr);
}
END_TEST

START_TEST(tube_law_wave_speed)
{
  const HavocTube t = MakeTube(2e-3, 500e3, 0.2e-3, 0);
  for (PetscReal s = 0.8; s <= 1.3; s += 0.05) {
    const PetscReal A = s * s * t.sqrtAr * t.sqrtAr, h = 1e-4 * A;
    const PetscReal c = HavocTubeWaveSpeed(&t, RHO, A);
    /* c^2 = (A/rho) dp/dA: central difference, truncation error (h/A)^2 ~ 1e-8 */
    const PetscReal dpdA = (HavocTubePressure(&t, A + h) - HavocTubePressure(&t, A - h)) / (2 * h);
    ck_assert_msg(PetscAbsReal(c * c - A / RHO * dpdA) <= 1e-7 * c * c, "c^2 = %g vs A/rho dp/dA = %g", c * c, A / RHO * dpdA);
    /* c = gamma A^{1/4}, the form the junction solver relies on */
    ck_assert(PetscAbsReal(c - HavocTubeGamma(&t, RHO) * PetscPowReal(A, 0.25)) <= NTOL * EPS * c);
    /* the pressure flux is the primitive of c^2: dP/dA = c^2 */
    {
      const PetscReal Pp = HavocTubePressureFluxS(&t, RHO, A + h, PetscSqrtReal(A + h)), Pm = HavocTubePressureFluxS(&t, RHO, A - h, PetscSqrtReal(A - h));
      ck_assert(PetscAbsReal((Pp - Pm) / (2 * h) - c * c) <= 1e-7 * c * c);
    }
  }
}
END_TEST

typedef void (*Riemann)(PetscReal, PetscReal, PetscReal, PetscReal, PetscReal, PetscReal, PetscReal, PetscReal, PetscReal, PetscReal, PetscReal *, PetscReal *, PetscReal *);

static void State(const HavocTube *t, PetscReal A, PetscReal q, PetscReal *u, PetscReal *c, PetscReal *P)
{
  *u = q / A;
  *c = HavocTubeWaveSpeed(t, RHO, A);
  *P = HavocTubePressureFluxS(t, RHO, A, PetscSqrtReal(A));
}

START_TEST(flux_consistency_and_symmetry)
{
  const Riemann   fluxes[2] = {HavocRiemannHLL, HavocRiemannRusanov};
  const HavocTube t         = MakeTube(3e-3, 700e3, 0.3e-3, 0);
  const PetscReal A0        = t.sqrtAr * t.sqrtAr;

  for (int f = 0; f < 2; f++) {
    for (PetscReal q = -2e-5; q <= 2e-5; q += 1e-5) {
      PetscReal u, c, P, F1, F2, s;
      State(&t, 1.1 * A0, q, &u, &c, &P);
      fluxes[f](1.1 * A0, q, u, c, P, 1.1 * A0, q, u, c, P, &F1, &F2, &s);
      ck_assert_msg(PetscAbsReal(F1 - q) <= NTOL * EPS * (PetscAbsReal(q) + c * A0), "flux %d: mass flux %g vs %g", f, F1, q);
      ck_assert_msg(PetscAbsReal(F2 - (q * u + P)) <= NTOL * EPS * (q * u + P), "flux %d: momentum flux %g vs %g", f, F2, q * u + P);
    }
    /* mirror image: swapping the sides and reversing the flows reverses the mass flux only */
    {
      PetscReal       uL, cL, PL, uR, cR, PR, F1, F2, G1, G2, s;
      const PetscReal AL = 1.05 * A0, qL = 1.3e-5, AR = 0.97 * A0, qR = -0.4e-5;
      State(&t, AL, qL, &uL, &cL, &PL);
      State(&t, AR, qR, &uR, &cR, &PR);
      fluxes[f](AL, qL, uL, cL, PL, AR, qR, uR, cR, PR, &F1, &F2, &s);
      fluxes[f](AR, -qR, -uR, cR, PR, AL, -qL, -uL, cL, PL, &G1, &G2, &s);
      ck_assert_msg(PetscAbsReal(F1 + G1) <= NTOL * EPS * (PetscAbsReal(F1) + cL * A0), "flux %d: mass flux not antisymmetric: %g, %g", f, F1, G1);
      ck_assert_msg(PetscAbsReal(F2 - G2) <= NTOL * EPS * PetscAbsReal(F2), "flux %d: momentum flux not symmetric: %g, %g", f, F2, G2);
    }
  }
}
END_TEST

/* A vessel of M cells with a linear taper of its radius, in plain arrays. */
typedef struct {
  HavocVessel v;
  PetscReal  *mem;
} TestVessel;

static void TestVesselCreate(TestVessel *tv, PetscInt M, PetscReal L, PetscReal r0, PetscReal r1, PetscReal E, PetscReal h, PetscReal pref, PetscReal KR)
{
  PetscReal      *m;
  const PetscReal dx = L / M;
  PetscCallAbort(PETSC_COMM_SELF, PetscMalloc1(6 * M + (6 + HAVOC_FACE_ARRAYS) * (M + 1), &tv->mem));
  m              = tv->mem;
  HavocVessel *v = &tv->v;
  PetscCallAbort(PETSC_COMM_SELF, PetscMemzero(v, sizeof(*v))); /* no gel, no stale pointers */
  v->M         = M;
  v->dx        = dx;
  v->KR        = KR;
  v->A         = m;
  v->Q         = m + M;
  PetscReal *K = m + 2 * M, *invK = m + 3 * M, *sAr = m + 4 * M, *pr = m + 5 * M, *f = m + 6 * M;
  PetscReal *Kf = f, *invKf = f + (M + 1), *sArf = f + 2 * (M + 1), *prf = f + 3 * (M + 1), *gf = f + 4 * (M + 1), *Kf3 = f + 5 * (M + 1);
  for (PetscInt j = 0; j <= M; j++) {
    for (int face = 0; face < 2; face++) {
      const PetscReal x = face ? j * dx : (j + 0.5) * dx;
      HavocTube       t = MakeTube(r0 + (r1 - r0) * x / L, E, h, pref);
      if (face) {
        Kf[j]    = t.K;
        invKf[j] = 1 / t.K;
        sArf[j]  = t.sqrtAr;
        prf[j]   = t.pr;
        gf[j]    = HavocTubeGamma(&t, RHO);
        Kf3[j]   = t.K / (3 * RHO);
      } else if (j < M) {
        K[j]    = t.K;
        invK[j] = 1 / t.K;
        sAr[j]  = t.sqrtAr;
        pr[j]   = t.pr;
      }
    }
  }
  {
    PetscReal **faces[HAVOC_FACE_ARRAYS] = {&v->f.pL, &v->f.uL, &v->f.AL, &v->f.FL, &v->f.pR, &v->f.uR, &v->f.AR, &v->f.FR};
    for (int a = 0; a < HAVOC_FACE_ARRAYS; a++)
      *faces[a] = f + (6 + a) * (M + 1);
  }
  v->K       = K;
  v->invK    = invK;
  v->sqrtAr  = sAr;
  v->pr      = pr;
  v->Kf      = Kf;
  v->invKf   = invKf;
  v->sqrtArf = sArf;
  v->prf     = prf;
  v->gf      = gf;
  v->Kf3     = Kf3;
}

/* A tapered vessel at rest stays at rest: the hydrostatic reconstruction balances the taper exactly. */
START_TEST(sweep_well_balanced)
{
  const HavocSweepFn sweeps[2] = {HavocSweepHLL, HavocSweepRusanov};
  for (int f = 0; f < 2; f++)
    for (HavocLimiter lim = HAVOC_LIMITER_MINMOD; lim <= HAVOC_LIMITER_NONE; lim++) {
      TestVessel      tv;
      HavocKernel     k;
      const PetscReal p0 = 9e3, c0 = 7;
      PetscReal       umax = 0, dp = 0;
      TestVesselCreate(&tv, 40, 0.1, 3e-3, 1.2e-3, 800e3, 0.3e-3, 2e3, 8 * PI * 4e-3 / RHO);
      PetscCallAbort(PETSC_COMM_SELF, HavocKernelCreate(RHO, lim, 40, &k));
      HavocVessel *v = &tv.v;
      for (PetscInt i = 0; i < v->M; i++) {
        const PetscReal s = v->sqrtAr[i] + (p0 - v->pr[i]) * v->invK[i];
        v->A[i]           = s * s;
        v->Q[i]           = 0;
      }
      v->pb[0] = v->pb[1] = p0;
      v->qb[0] = v->qb[1] = 0;
      for (int step = 0; step < 2000; step++) {
        PetscReal       W[2], Ab[2], Qb[2];
        const PetscReal dt = 0.5 * v->dx / c0;
        HavocKernelPredict(&k, v, dt, W);
        for (int e = 0; e < 2; e++) { /* closed ends at rest: the reflection of W with u = 0 */
          const PetscInt  j = e ? v->M : 0;
          const PetscReal s = W[e] * (e ? 1 : -1) / (4 * v->gf[j]);
          Ab[e]             = s * s * s * s;
          Qb[e]             = 0;
        }
        HavocSweepResult r = sweeps[f](&k, v, dt, Ab, Qb);
        ck_assert_int_lt(r.bad_cell, 0);
        for (int e = 0; e < 2; e++) {
          const PetscInt j = e ? v->M : 0;
          v->pb[e]         = v->prf[j] + v->Kf[j] * (PetscSqrtReal(Ab[e]) - v->sqrtArf[j]);
          v->qb[e]         = 0;
        }
      }
      for (PetscInt i = 0; i < v->M; i++) {
        umax = PetscMax(umax, PetscAbsReal(v->Q[i] / v->A[i]));
        dp   = PetscMax(dp, PetscAbsReal(v->pr[i] + v->K[i] * (PetscSqrtReal(v->A[i]) - v->sqrtAr[i]) - p0));
      }
      /* round-off only: velocities far below 1e-12 of the wave speed, pressures within 1e-9 Pa */
      ck_assert_msg(umax <= 1e-12 * c0 && dp <= 1e-9, "flux %d limiter %s: |u| = %g m/s, |p - p0| = %g Pa after 2000 steps", f, HavocLimiters[lim], umax, dp);
      PetscCallAbort(PETSC_COMM_SELF, HavocKernelDestroy(&k));
      PetscCallAbort(PETSC_COMM_SELF, PetscFree(tv.mem));
    }
}
END_TEST

/* A uniform flowing state with matching boundary states is steady without friction (consistency). */
START_TEST(sweep_uniform_flow)
{
  TestVessel  tv;
  HavocKernel k;
  TestVesselCreate(&tv, 25, 0.05, 2e-3, 2e-3, 600e3, 0.2e-3, 0, 0);
  PetscCallAbort(PETSC_COMM_SELF, HavocKernelCreate(RHO, HAVOC_LIMITER_MC, 25, &k));
  HavocVessel    *v  = &tv.v;
  const PetscReal A0 = 1.2 * v->sqrtAr[0] * v->sqrtAr[0], q0 = 0.3 * A0;
  for (PetscInt i = 0; i < v->M; i++) {
    v->A[i] = A0;
    v->Q[i] = q0;
  }
  v->pb[0] = v->pb[1] = HavocTubePressure(&(HavocTube){v->K[0], v->sqrtAr[0], v->pr[0]}, A0);
  v->qb[0] = v->qb[1] = q0;
  for (int step = 0; step < 100; step++) {
    PetscReal       W[2];
    const PetscReal Ab[2] = {A0, A0}, Qb[2] = {q0, q0};
    HavocKernelPredict(&k, v, 1e-5, W);
    HavocSweepResult r = HavocSweepHLL(&k, v, 1e-5, Ab, Qb);
    ck_assert_int_lt(r.bad_cell, 0);
  }
  for (PetscInt i = 0; i < v->M; i++) {
    ck_assert(PetscAbsReal(v->A[i] - A0) <= 100 * EPS * A0);
    ck_assert(PetscAbsReal(v->Q[i] - q0) <= 100 * EPS * q0);
  }
  PetscCallAbort(PETSC_COMM_SELF, HavocKernelDestroy(&k));
  PetscCallAbort(PETSC_COMM_SELF, PetscFree(tv.mem));
}
END_TEST

/* Junctions of 2 to 6 vessels with random tubes, random orientations and states far from rest, from a
   cold start: mass is conserved to 1e-12 relative, pressure is continuous, every invariant is honoured. */
START_TEST(junction_cold_start)
{
  unsigned long seed = 12345;
  for (int total = 0; total < 2; total++)
    for (PetscInt n = 2; n <= 6; n++)
      for (int trial = 0; trial < 50; trial++) {
        HavocJunction    J;
        HavocJunctionTol tol = {1e-6, 1e-18, 30};
        PetscReal        W[HAVOC_MAX_DEGREE], s[HAVOC_MAX_DEGREE], A[HAVOC_MAX_DEGREE], Q[HAVOC_MAX_DEGREE], qabs = 0, mass = 0, pmax;
        PetscInt         its;
        J.n              = n;
        J.total_pressure = (PetscBool)total;
        for (PetscInt k = 0; k < n; k++) {
          const HavocTube t    = MakeTube(0.5e-3 + 2.5e-3 * Uniform(&seed), 300e3 + 700e3 * Uniform(&seed), 0.2e-3, 0);
          const PetscReal sign = Uniform(&seed) < 0.5 ? -1 : 1, p = 8e3 + 6e3 * Uniform(&seed), u = -0.5 + Uniform(&seed);
          const PetscReal a = HavocTubeArea(&t, p);
          J.end[k]          = MakeEnd(t, sign);
          W[k]              = u + 4 * sign * HavocTubeWaveSpeed(&t, RHO, a);
          s[k]              = 0;
        }
        its = HavocJunctionSolve(&J, &tol, W, s, A, Q);
        ck_assert_msg(its >= 0, "n = %d trial %d: no convergence", (int)n, trial);
        for (PetscInt k = 0; k < n; k++) {
          const PetscReal c = HavocTubeWaveSpeed(&J.end[k].tube, RHO, A[k]);
          mass += J.end[k].sign * Q[k];
          qabs += PetscAbsReal(Q[k]);
          ck_assert(PetscAbsReal(Q[k] / A[k] + 4 * J.end[k].sign * c - W[k]) <= 1e-12 * (PetscAbsReal(W[k]) + c));
        }
        ck_assert_msg(PetscAbsReal(mass) <= 1e-12 * qabs, "n = %d: mass residual %g of %g", (int)n, mass, qabs);
        HavocJunctionResidual(&J, W, s, &pmax, &mass);
        ck_assert_msg(pmax <= 1e-6, "n = %d: pressure mismatch %g Pa", (int)n, pmax);
      }
}
END_TEST

/* Two identical vessels meeting end to end carry a uniform flow straight through: the state is recovered
   to the junction tolerance (1e-6 Pa on pressure, about 1e-10 relative on the area). */
START_TEST(junction_straight_through)
{
  const HavocTube  t   = MakeTube(2e-3, 600e3, 0.2e-3, 0);
  HavocJunction    J   = {.n = 2, .total_pressure = PETSC_TRUE};
  HavocJunctionTol tol = {1e-6, 1e-18, 30};
  const PetscReal  A0 = HavocTubeArea(&t, 12e3), u0 = 0.4, c0 = HavocTubeWaveSpeed(&t, RHO, A0);
  PetscReal        W[2], s[2] = {0, 0}, A[2], Q[2];
  J.end[0] = MakeEnd(t, 1);  /* the upstream vessel ends here */
  J.end[1] = MakeEnd(t, -1); /* the downstream vessel starts here */
  W[0]     = u0 + 4 * c0;
  W[1]     = u0 - 4 * c0;
  ck_assert(HavocJunctionSolve(&J, &tol, W, s, A, Q) >= 0);
  for (int k = 0; k < 2; k++) {
    ck_assert_msg(PetscAbsReal(A[k] - A0) <= 1e-9 * A0, "A = %.17g vs %.17g", A[k], A0);
    ck_assert_msg(PetscAbsReal(Q[k] - u0 * A0) <= 1e-9 * u0 * A0, "Q = %.17g vs %.17g", Q[k], u0 * A0);
  }
}
END_TEST

/* A jet into a junction: the state of node 137 of the default face when a firm push drives blood at ~4 m/s
   through the 0.15 mm supratrochlear-supraorbital anastomosis (the glabella bolus). Continuity of the
   total pressure has no solution there (the jet cannot give up its dynamic pressure); static pressure
   continuity, the solver's fallback, does, and conserves mass. */
START_TEST(junction_fast_jet)
{
  const PetscReal  sign[4] = {1, -1, 1, -1}, W[4] = {46.6078, -43.9166, 49.6779, -43.9281}, sqrtAr[4] = {0.000620359, 0.000620359, 0.000265868, 0.000265868};
  const PetscReal  K[4] = {4.4214e+08, 3.86873e+08, 9.02703e+08, 9.02703e+08};
  HavocJunction    J    = {.n = 4, .total_pressure = PETSC_FALSE};
  HavocJunctionTol tol  = {1e-6, 0, 30};
  PetscReal        u[4] = {0, 0, 0, 0}, A[4], Q[4], pmax, mass, qabs = 0;
  for (int k = 0; k < 4; k++) {
    const HavocTube t = {.sqrtAr = sqrtAr[k], .K = K[k], .pr = 78.336};
    J.end[k]          = MakeEnd(t, sign[k]);
  }
  ck_assert_msg(HavocJunctionSolve(&J, &tol, W, u, A, Q) >= 0, "static pressure: no convergence");
  HavocJunctionResidual(&J, W, u, &pmax, &mass);
  for (int k = 0; k < 4; k++)
    qabs += PetscAbsReal(Q[k]);
  ck_assert_msg(pmax <= 1e-6 && PetscAbsReal(mass) <= 1e-12 * qabs, "pressure mismatch %g Pa, mass %g of %g", pmax, mass, qabs);
  ck_assert_msg(PetscAbsReal(Q[2] / A[2]) > 2, "the jet: %g m/s", Q[2] / A[2]);
}
END_TEST

START_TEST(boundary_solvers)
{
  const HavocTube t  = MakeTube(3e-3, 700e3, 0.3e-3, 10.9e3);
  const PetscReal A0 = HavocTubeArea(&t, 12e3), c0 = HavocTubeWaveSpeed(&t, RHO, A0);
  for (int e = 0; e < 2; e++) {
    const PetscReal sign = e ? 1 : -1;
    const HavocEnd  end  = MakeEnd(t, sign);
    const PetscReal W    = 0.2 * sign + 4 * sign * c0; /* flowing out at 0.2 m/s */
    PetscReal       A = 0, Q, param[4] = {2.4875e8, 1.8697e9, 1.7529e-10, 1.3e3}, state[1] = {9e3};
    PetscBool       ok;
    /* resistance: sign Q R = p - p_out */
    HavocOutletResistance.solve(&end, (PetscReal[]){1e9, 500}, NULL, W, &A, &Q, &ok);
    ck_assert(ok);
    ck_assert(PetscAbsReal(sign * Q * 1e9 - (HavocTubePressure(&t, A) - 500)) <= 1e-12 * HavocTubePressure(&t, A));
    /* wk3: through R1 to the capacitor pressure */
    A = 0;
    HavocOutletWK3.solve(&end, param, state, W, &A, &Q, &ok);
    ck_assert(ok);
    ck_assert(PetscAbsReal(sign * Q * param[0] - (HavocTubePressure(&t, A) - state[0])) <= 1e-12 * HavocTubePressure(&t, A));
    /* reflection: Rt = 0 leaves the incoming invariant at its reference value; Rt = 1 closes the end */
    A = 0;
    HavocOutletReflection.solve(&end, (PetscReal[]){0}, NULL, W, &A, &Q, &ok);
    ck_assert(ok);
    {
      const PetscReal win = Q / A - 4 * sign * HavocTubeWaveSpeed(&t, RHO, A), win_r = -4 * sign * HavocTubeGamma(&t, RHO) * PetscSqrtReal(t.sqrtAr);
      ck_assert(PetscAbsReal(win - win_r) <= NTOL * EPS * PetscAbsReal(win_r));
    }
    HavocOutletReflection.solve(&end, (PetscReal[]){1}, NULL, W, &A, &Q, &ok);
    ck_assert(ok && PetscAbsReal(Q) <= NTOL * EPS * A0 * c0);
    /* inlets: the flow into the network, or the pressure, as prescribed */
    A = 0;
    HavocEndSolveFlow(&end, W, 5e-6, &A, &Q, &ok);
    ck_assert(ok && PetscAbsReal(-sign * Q - 5e-6) <= 1e-12 * 5e-6);
    HavocEndSolvePressure(&end, W, 11e3, &A, &Q, &ok);
    ck_assert(ok && PetscAbsReal(HavocTubePressure(&t, A) - 11e3) <= NTOL * EPS * 11e3);
  }
}
END_TEST

/* The Windkessel update is exact for a constant flow: two half steps equal one step. */
START_TEST(wk3_exact_update)
{
  const PetscReal param[4] = {2.4875e8, 1.8697e9, 1.7529e-10, 1.3e3};
  PetscReal       a[1] = {9e3}, b[1] = {9e3};
  HavocOutletWK3.advance(param, a, 6.5e-6, 0.01);
  HavocOutletWK3.advance(param, b, 6.5e-6, 0.005);
  HavocOutletWK3.advance(param, b, 6.5e-6, 0.005);
  ck_assert(PetscAbsReal(a[0] - b[0]) <= NTOL * EPS * a[0]);
  /* and relaxes to p_out + q R2 */
  HavocOutletWK3.advance(param, a, 6.5e-6, 1e3);
  ck_assert(PetscAbsReal(a[0] - (param[3] + 6.5e-6 * param[1])) <= NTOL * EPS * a[0]);
}
END_TEST

static PetscErrorCode TableWaveform(const char path[], PetscBool spline, HavocWaveform *w)
{
  PetscFunctionBeginUser;
  PetscCall(PetscOptionsSetValue(NULL, "-test_table", path));
  PetscCall(PetscOptionsSetValue(NULL, "-test_interpolation", spline ? "spline" : "linear"));
  PetscCall(HavocWaveformCreate(PETSC_COMM_WORLD, "m^3 s^-1", w));
  PetscOptionsBegin(PETSC_COMM_WORLD, "test_", "test", NULL);
  PetscCall(HavocWaveformSetFromOptions(*w, "table"));
  PetscOptionsEnd();
  PetscCall(PetscOptionsClearValue(NULL, "-test_table"));
  PetscCall(PetscOptionsClearValue(NULL, "-test_interpolation"));
  PetscFunctionReturn(0);
}

/* Periodic table of a sine at 100 intervals: the spline's error is O(h^4) (about 4e-8 here), linear
   interpolation's O(h^2) (about 5e-4). */
START_TEST(waveform_table)
{
  char           path[] = "/tmp/havoc-test-tableXXXXXX";
  int            fd     = mkstemp(path);
  FILE          *f      = fdopen(fd, "w");
  const PetscInt n      = 100;
  for (PetscInt i = 0; i <= n; i++)
    fprintf(f, "%.17g %.17g\n", 0.8 * i / n, PetscSinReal(2 * PI * i / n));
  fclose(f);
  for (int spline = 0; spline < 2; spline++) {
    HavocWaveform w;
    PetscReal     err = 0;
    PetscCallAbort(PETSC_COMM_WORLD, TableWaveform(path, (PetscBool)spline, &w));
    ck_assert(PetscAbsReal(w->period - 0.8) <= NTOL * EPS);
    ck_assert_msg(PetscAbsReal(w->mean) <= 1e-15, "mean of a sine %g", w->mean);
    for (PetscReal t = 0; t < 0.8; t += 0.8 / 997)
      err = PetscMax(err, PetscAbsReal(HavocWaveformEval(w, t) - PetscSinReal(2 * PI * t / 0.8)));
    ck_assert_msg(err <= (spline ? 1e-7 : 6e-4), "%s interpolation error %g", spline ? "spline" : "linear", err);
    ck_assert(PetscAbsReal(HavocWaveformEval(w, 0.123 + 3 * 0.8) - HavocWaveformEval(w, 0.123)) <= 1e-12);
    PetscCallAbort(PETSC_COMM_WORLD, HavocWaveformDestroy(&w));
  }
  unlink(path);
}
END_TEST

int main(int argc, char **argv)
{
  Suite *s  = suite_create("numerics");
  TCase *tc = tcase_create("kernels");
  int    failed;

  PetscCall(PetscInitialize(&argc, &argv, NULL, NULL));
  PetscCall(HavocRegisterAll());
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, tube_law_inverse);
  tcase_add_test(tc, tube_law_wave_speed);
  tcase_add_test(tc, flux_consistency_and_symmetry);
  tcase_add_test(tc, sweep_well_balanced);
  tcase_add_test(tc, sweep_uniform_flow);
  tcase_add_test(tc, junction_cold_start);
  tcase_add_test(tc, junction_straight_through);
  tcase_add_test(tc, junction_fast_jet);
  tcase_add_test(tc, boundary_solvers);
  tcase_add_test(tc, wk3_exact_update);
  tcase_add_test(tc, waveform_table);
  suite_add_tcase(s, tc);
  failed = HavocRunSuite(s);
  PetscCall(PetscFinalize());
  return failed ? 1 : 0;
}
