/* The per-vessel sweep of the finite-volume scheme, written once and instantiated for every Riemann flux
   and slope limiter (flux_hll.c, flux_rusanov.c), so that each pass is a branch-free loop over plain
   restrict-qualified arrays that the compiler vectorizes. Private to the library. */
#pragma once

#include "flux.h"

#include <math.h>

#define HAVOC_INLINE static inline __attribute__((always_inline))

typedef enum {
  HAVOC_FLUX_HLL,
  HAVOC_FLUX_RUSANOV
} HavocFluxKind;

/* A limited slope from the left and right differences a and b; lim is a compile-time constant in every
   instantiation, so the switch disappears. */
HAVOC_INLINE PetscReal HavocLimit(HavocLimiter lim, PetscReal a, PetscReal b)
{
  const PetscReal ab = a * b, aa = PetscAbsReal(a), bb = PetscAbsReal(b);

  switch (lim) {
  case HAVOC_LIMITER_MINMOD:
    return ab > 0 ? (aa < bb ? a : b) : 0;
  case HAVOC_LIMITER_MC:
    return ab > 0 ? copysign(PetscMin(PetscMin(2 * aa, 2 * bb), 0.5 * PetscAbsReal(a + b)), a) : 0;
  case HAVOC_LIMITER_VANLEER:
    return ab > 0 ? 2 * ab / (a + b) : 0;
  case HAVOC_LIMITER_SUPERBEE:
    return ab > 0 ? copysign(PetscMax(PetscMin(2 * aa, bb), PetscMin(aa, 2 * bb)), a) : 0;
  default:
    return 0;
  }
}

/* MUSCL-Hancock predictor of one cell: limited slopes of pressure and flow (neighbours pm, pp, qm, qp;
   mirrored ghosts at the vessel ends), face states, and their evolution over half a step by the flux
   difference across the cell and half a step of point-implicit friction. The pressure slope is capped so
   that both faces stay open. */
HAVOC_INLINE void HavocPredictCell(HavocLimiter lim, PetscReal K, PetscReal invK, PetscReal sAr, PetscReal pr, PetscReal A0, PetscReal p0, PetscReal pm, PetscReal pp, PetscReal q0, PetscReal qm, PetscReal qp, PetscReal dt_2dx, PetscReal dt_2KR, PetscReal inv3rho, HavocFaceState *L, HavocFaceState *R)
{
  const PetscReal dpmax = 1.9 * (p0 - (pr - K * sAr));
  const PetscReal dpl   = HavocLimit(lim, p0 - pm, pp - p0);
  const PetscReal dq    = HavocLimit(lim, q0 - qm, qp - q0);
  const PetscReal dp    = PetscAbsReal(dpl) < dpmax ? dpl : copysign(dpmax, dpl);
  const PetscReal sL = sAr + (p0 - 0.5 * dp - pr) * invK, sR = sAr + (p0 + 0.5 * dp - pr) * invK;
  const PetscReal AL = sL * sL, AR = sR * sR, qL = q0 - 0.5 * dq, qR = q0 + 0.5 * dq;
  const PetscReal Kr = K * inv3rho;
  /* one division for both reciprocals: division and square root bound this loop */
  const PetscReal iLR = 1 / (AL * AR);
  const PetscReal F2L = qL * qL * (AR * iLR) + Kr * AL * sL, F2R = qR * qR * (AL * iLR) + Kr * AR * sR;
  const PetscReal dA = -dt_2dx * (qR - qL), dQ = -dt_2dx * (F2R - F2L);
  const PetscReal fr  = A0 / (A0 + dt_2KR);
  const PetscReal ALn = AL + dA, ARn = AR + dA, qLn = (qL + dQ) * fr, qRn = (qR + dQ) * fr;
  const PetscReal sLn = PetscSqrtReal(ALn), sRn = PetscSqrtReal(ARn), inLR = 1 / (ALn * ARn);

  L->A  = ALn;
  L->u  = qLn * (ARn * inLR);
  L->p  = pr + K * (sLn - sAr);
  L->Pf = Kr * ALn * sLn;
  R->A  = ARn;
  R->u  = qRn * (ALn * inLR);
  R->p  = pr + K * (sRn - sAr);
  R->Pf = Kr * ARn * sRn;
}

/* Riemann flux between two states already reconstructed in the face law: areas A, flows q, velocities u,
   wave speeds c, pressure fluxes P. Gives the mass and momentum fluxes and the largest signal speed. */
HAVOC_INLINE void HavocRiemann(HavocFluxKind flux, PetscReal AL, PetscReal qL, PetscReal uL, PetscReal cL, PetscReal PL, PetscReal AR, PetscReal qR, PetscReal uR, PetscReal cR, PetscReal PR, PetscReal *F1, PetscReal *F2, PetscReal *speed)
{
  if (flux == HAVOC_FLUX_HLL) {
    /* HLL (Harten, Lax and van Leer 1983) with Davis's wave-speed estimates, branch-free */
    const PetscReal SL = PetscMin(uL - cL, uR - cR), SR = PetscMax(uL + cL, uR + cR);
    const PetscReal sl = PetscMin(SL, 0), sr = PetscMax(SR, 0), inv = 1 / (sr - sl);
    const PetscReal fl2 = qL * uL + PL, fr2 = qR * uR + PR;
    *F1    = (sr * qL - sl * qR + sl * sr * (AR - AL)) * inv;
    *F2    = (sr * fl2 - sl * fr2 + sl * sr * (qR - qL)) * inv;
    *speed = PetscMax(PetscAbsReal(SL), PetscAbsReal(SR));
  } else {
    /* Rusanov (local Lax-Friedrichs): central flux plus dissipation at the largest local signal speed */
    const PetscReal S = PetscMax(PetscAbsReal(uL) + cL, PetscAbsReal(uR) + cR);
    *F1               = 0.5 * (qL + qR) - 0.5 * S * (AR - AL);
    *F2               = 0.5 * (qL * uL + PL + qR * uR + PR) - 0.5 * S * (qR - qL);
    *speed            = S;
  }
}

/* The scratch layout (shared by all vessels of a rank): ghosted pressure and flow for the predictor,
   fluxes and signal speeds for the sweep. */
enum { W_P,
       W_Q,
       W_F1,
       W_F2M,
       W_F2P,
       W_S };

/* Pass 1: cell pressures and flows into the ghosted scratch. */
HAVOC_INLINE void HavocPassPressure(PetscInt M, const PetscReal *restrict K, const PetscReal *restrict sAr, const PetscReal *restrict pr, const PetscReal *restrict A, const PetscReal *restrict Q, PetscReal *restrict P, PetscReal *restrict Qg)
{
  for (PetscInt i = 0; i < M; i++) {
    P[i]  = pr[i] + K[i] * (PetscSqrtReal(A[i]) - sAr[i]);
    Qg[i] = Q[i];
  }
}

/* Pass 2: the predictor of every cell; cell i gives the right state of face i and the left state of face
   i + 1. P and Q are ghosted (index -1 and M valid). */
HAVOC_INLINE void HavocPassPredict(HavocLimiter lim, PetscInt M, const PetscReal *restrict K, const PetscReal *restrict invK, const PetscReal *restrict sAr, const PetscReal *restrict pr, const PetscReal *restrict A, const PetscReal *restrict P, const PetscReal *restrict Qg, PetscReal dt_2dx, PetscReal dt_2KR, PetscReal inv3rho, PetscReal *restrict pL, PetscReal *restrict uL, PetscReal *restrict AL, PetscReal *restrict FL, PetscReal *restrict pR, PetscReal *restrict uR, PetscReal *restrict AR, PetscReal *restrict FR)
{
  for (PetscInt i = 0; i < M; i++) {
    HavocFaceState l, r;
    HavocPredictCell(lim, K[i], invK[i], sAr[i], pr[i], A[i], P[i], P[i - 1], P[i + 1], Qg[i], Qg[i - 1], Qg[i + 1], dt_2dx, dt_2KR, inv3rho, &l, &r);
    pR[i]     = l.p;
    uR[i]     = l.u;
    AR[i]     = l.A;
    FR[i]     = l.Pf;
    pL[i + 1] = r.p;
    uL[i + 1] = r.u;
    AL[i + 1] = r.A;
    FL[i + 1] = r.Pf;
  }
}

HAVOC_INLINE void HavocPredictTemplate(HavocLimiter lim, const HavocKernel *k, HavocVessel *v, PetscReal dt, PetscReal W[2])
{
  const PetscInt    M = v->M, stride = k->mmax + 2;
  PetscReal        *P = k->work + W_P * stride + 1, *Qg = k->work + W_Q * stride + 1;
  const HavocFaces *f = &v->f;

  HavocPassPressure(M, v->K, v->sqrtAr, v->pr, v->A, v->Q, P, Qg);
  P[-1]  = 2 * v->pb[0] - P[0];
  P[M]   = 2 * v->pb[1] - P[M - 1];
  Qg[-1] = 2 * v->qb[0] - v->Q[0];
  Qg[M]  = 2 * v->qb[1] - v->Q[M - 1];
  HavocPassPredict(lim, M, v->K, v->invK, v->sqrtAr, v->pr, v->A, P, Qg, 0.5 * dt / v->dx, 0.5 * dt * v->KR, 1 / (3 * k->rho), f->pL, f->uL, f->AL, f->FL, f->pR, f->uR, f->AR, f->FR);
  /* The outgoing invariants of the end faces, reconstructed in the face laws. */
  for (PetscInt e = 0; e < 2; e++) {
    const PetscInt  j = e ? M : 0;
    const PetscReal p = e ? f->pL[j] : f->pR[j], u = e ? f->uL[j] : f->uR[j];
    const PetscReal s = v->sqrtArf[j] + (p - v->prf[j]) * v->invKf[j];
    W[e]              = u + (e ? 4 : -4) * v->gf[j] * PetscSqrtReal(s);
  }
}

/* Pass 3: interior faces 1..M-1: hydrostatic reconstruction in the face law, Riemann flux, and the
   correction that returns each side's own pressure flux, which makes a state at rest exactly steady.
   Returns the largest signal speed: the speeds go through an array because a max-reduction of doubles
   does not vectorize under IEEE semantics, and the face loop must. */
HAVOC_INLINE PetscReal HavocPassFaces(HavocFluxKind flux, PetscInt M, const PetscReal *restrict sArf, const PetscReal *restrict prf, const PetscReal *restrict invKf, const PetscReal *restrict gf, const PetscReal *restrict Kf3, const PetscReal *restrict pL, const PetscReal *restrict uL, const PetscReal *restrict FL, const PetscReal *restrict pR, const PetscReal *restrict uR, const PetscReal *restrict FR, PetscReal *restrict F1, PetscReal *restrict F2m, PetscReal *restrict F2p, PetscReal *restrict S)
{
  PetscReal speed = 0;

  for (PetscInt j = 1; j < M; j++) {
    const PetscReal sl = sArf[j] + (pL[j] - prf[j]) * invKf[j], sr = sArf[j] + (pR[j] - prf[j]) * invKf[j];
    const PetscReal al = sl * sl, ar = sr * sr, Pl = Kf3[j] * al * sl, Pr = Kf3[j] * ar * sr;
    const PetscReal cl = gf[j] * PetscSqrtReal(sl), cr = gf[j] * PetscSqrtReal(sr);
    PetscReal       f1, f2, s;
    HavocRiemann(flux, al, uL[j] * al, uL[j], cl, Pl, ar, uR[j] * ar, uR[j], cr, Pr, &f1, &f2, &s);
    F1[j]  = f1;
    F2m[j] = f2 + (FL[j] - Pl);
    F2p[j] = f2 + (FR[j] - Pr);
    S[j]   = s;
  }
  for (PetscInt j = 1; j < M; j++)
    speed = PetscMax(speed, S[j]);
  return speed;
}

/* Pass 4: conservative update, then friction point-implicitly (stable for any stiffness, exact steady
   state). Returns the number of cells left non-physical. */
HAVOC_INLINE PetscInt HavocPassUpdate(PetscInt M, PetscReal dtdx, PetscReal dtKR, const PetscReal *restrict F1, const PetscReal *restrict F2m, const PetscReal *restrict F2p, PetscReal *restrict A, PetscReal *restrict Q)
{
  PetscInt nbad = 0;

  for (PetscInt i = 0; i < M; i++) {
    const PetscReal An = A[i] - dtdx * (F1[i + 1] - F1[i]);
    const PetscReal Qn = (Q[i] - dtdx * (F2m[i + 1] - F2p[i])) * An / (An + dtKR);
    A[i]               = An;
    Q[i]               = Qn;
    nbad += !(An > 0) + !(PetscAbsReal(Qn) <= PETSC_MAX_REAL);
  }
  return nbad;
}

/* The mass flux through an interior face under gel. A stiff drag sigma on the flow (moving Bingham gel,
   Darcy seepage through held gel) makes the momentum balance a Darcy law, q = -(A / (rho sigma)) dp/dx,
   but the Riemann flux keeps its acoustic mass flux c dA / 2 whatever the drag, and would let blood leak
   through a plug at the speed of sound. The factor M = 2c / (2c + sigma dx) (Gosse and Toscani 2002, for
   relaxation systems) on that dissipative part turns it into the Darcy flux in the stiff limit and leaves
   it unchanged without drag; the momentum flux goes the same way towards that of a wall (each side keeps
   its own pressure flux), or blood pushing at a blocked face would see the mean of the two pressures and
   pile up against it. The convective part is the smaller of the two sides' flows (minmod): blood
   pushing at a plug at rest does not enter it. The yield stress is not a face matter: the bolus decides,
   slug by slug, whether the pressure difference across the whole plug beats it. */
HAVOC_INLINE void HavocGelFaces(HavocVessel *v, PetscReal *restrict F1, PetscReal *restrict F2m, PetscReal *restrict F2p)
{
  const HavocFaces *f = &v->f;

  for (PetscInt j = 1; j < v->M; j++) {
    const PetscReal sig = v->gel_sigma[j];
    if (sig == 0) continue;
    {
      const PetscReal sl = v->sqrtArf[j] + (f->pL[j] - v->prf[j]) * v->invKf[j], sr = v->sqrtArf[j] + (f->pR[j] - v->prf[j]) * v->invKf[j];
      const PetscReal ql = f->uL[j] * sl * sl, qr = f->uR[j] * sr * sr, c = v->gf[j] * PetscSqrtReal(v->sqrtArf[j]);
      const PetscReal M = 2 * c / (2 * c + sig * v->dx);
      F1[j]             = M * (HavocLimit(HAVOC_LIMITER_MINMOD, ql, qr) + F1[j] - 0.5 * (ql + qr));
      F2m[j]            = M * F2m[j] + (1 - M) * f->FL[j];
      F2p[j]            = M * F2p[j] + (1 - M) * f->FR[j];
    }
  }
}

HAVOC_INLINE HavocSweepResult HavocSweepTemplate(HavocFluxKind flux, const HavocKernel *k, HavocVessel *v, PetscReal dt, const PetscReal Ab[2], const PetscReal Qb[2])
{
  const PetscInt    M = v->M, stride = k->mmax + 2;
  PetscReal        *w  = k->work;
  PetscReal        *F1 = w + W_F1 * stride, *F2m = w + W_F2M * stride, *F2p = w + W_F2P * stride, *S = w + W_S * stride;
  const HavocFaces *f   = &v->f;
  HavocSweepResult  res = {0, -1};
  PetscReal         speed;
  PetscInt          nbad;

  speed = HavocPassFaces(flux, M, v->sqrtArf, v->prf, v->invKf, v->gf, v->Kf3, f->pL, f->uL, f->FL, f->pR, f->uR, f->FR, F1, F2m, F2p, S);
  /* Boundary faces: the flux of the boundary state, with the same correction on the interior side. */
  for (PetscInt e = 0; e < 2; e++) {
    const PetscInt  j  = e ? M : 0;
    const PetscReal sb = PetscSqrtReal(Ab[e]), ub = Qb[e] / Ab[e];
    const PetscReal f2 = Qb[e] * ub + v->Kf3[j] * Ab[e] * sb;
    const PetscReal si = v->sqrtArf[j] + ((e ? f->pL[j] : f->pR[j]) - v->prf[j]) * v->invKf[j], Pi = v->Kf3[j] * si * si * si;
    F1[j] = Qb[e];
    if (e) F2m[j] = f2 + (f->FL[j] - Pi);
    else F2p[j] = f2 + (f->FR[j] - Pi);
    speed = PetscMax(speed, PetscAbsReal(ub) + v->gf[j] * PetscSqrtReal(sb));
  }
  if (v->gel_sigma) HavocGelFaces(v, F1, F2m, F2p);
  nbad = HavocPassUpdate(M, dt / v->dx, dt * v->KR, F1, F2m, F2p, v->A, v->Q);
  if (nbad)
    for (PetscInt i = 0; i < M && res.bad_cell < 0; i++)
      if (!(v->A[i] > 0) || !(PetscAbsReal(v->Q[i]) <= PETSC_MAX_REAL)) res.bad_cell = i;
  res.speed_dx = speed / v->dx;
  return res;
}
