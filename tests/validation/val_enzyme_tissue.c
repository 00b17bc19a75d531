/* Validation: hyaluronidase in the tissue (docs/model.md, "Hyaluronidase"; solver/src/enzyme_tissue.c).
   A bleb of 100 U in 12.6 uL (a Gaussian of sigma0 = 1 mm over a 2 mm layer) on a 20 x 20 mm map of
   0.1 mm cells, diffusivity 1e-9 m^2/s (large, so that it spreads over many cells), half-life 10 min,
   advanced 1000 s in ten steps:
   - the field against the spreading, decaying Gaussian
     c = U exp(-lambda t) / (H 2 pi s^2) exp(-r^2 / (2 s^2)), s^2 = sigma0^2 + 2 D t, within 1 % of its peak;
   - the units: injected = on the map + decayed to round-off, and on the map = U exp(-lambda t). */
#include "enzyme_tissue.h"
#include "valtest.h"

static PetscErrorCode Body(void)
{
  DM                  da;
  EnzymeTissue        et;
  const PetscInt      n  = 200;
  const PetscReal     dx = 0.1e-3, origin[2] = {-10e-3, -10e-3}, H = 2e-3, D = 1e-9, hl = 600, sigma0 = 1e-3, U = 100;
  const PetscReal     V = 2 * PETSC_PI * sigma0 * sigma0 * H, t = 1000, lambda = PetscLogReal(2.0) / hl, s2 = sigma0 * sigma0 + 2 * D * t;
  const PetscReal     peak = U * PetscExpReal(-lambda * t) / (H * 2 * PETSC_PI * s2);
  PetscReal           err  = 0, inj, on, dec;
  Vec                 c;
  const PetscScalar **a;
  DMDALocalInfo       info;

  PetscFunctionBeginUser;
  PetscCall(DMDACreate2d(PETSC_COMM_WORLD, DM_BOUNDARY_NONE, DM_BOUNDARY_NONE, DMDA_STENCIL_STAR, n, n, PETSC_DECIDE, PETSC_DECIDE, 1, 1, NULL, NULL, &da));
  PetscCall(DMSetUp(da));
  PetscCall(EnzymeTissueCreate(da, dx, origin, H, &et));
  PetscCall(EnzymeTissueSetParameters(et, D, hl));
  PetscCall(EnzymeTissueAddBleb(et, 0, 0, U, V));
  for (int k = 0; k < 10; k++)
    PetscCall(EnzymeTissueAdvance(et, t / 10));
  PetscCall(EnzymeTissueGetField(et, &c));
  PetscCall(DMDAGetLocalInfo(da, &info));
  PetscCall(DMDAVecGetArrayRead(da, c, &a));
  for (PetscInt j = info.ys; j < info.ys + info.ym; j++)
    for (PetscInt i = info.xs; i < info.xs + info.xm; i++) {
      const PetscReal x = origin[0] + (i + 0.5) * dx, y = origin[1] + (j + 0.5) * dx;
      err = ValMax(err, PetscAbsReal(a[j][i] - peak * PetscExpReal(-(x * x + y * y) / (2 * s2))));
    }
  PetscCall(DMDAVecRestoreArrayRead(da, c, &a));
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, &err, 1, MPIU_REAL, MPIU_MAX, PETSC_COMM_WORLD));
  PetscCall(EnzymeTissueGetBalance(et, &inj, &on, &dec, NULL));
  printf("  bleb of %.0f U in %.1f uL (sigma0 %.1f mm), D %.0e m^2/s, half-life %.0f s, t = %.0f s: sigma %.2f mm\n", (double)U, (double)(V * 1e9), (double)(sigma0 * 1e3), (double)D, (double)hl, (double)t, (double)(PetscSqrtReal(s2) * 1e3));
  ValCheck((PetscBool)(err <= 0.01 * peak), "field vs the spreading, decaying Gaussian", "largest difference %.2e of the peak %.4g U/mL (<= 1e-2)", (double)(err / peak), (double)(peak * 1e-6));
  ValCheck((PetscBool)(PetscAbsReal(inj - on - dec) <= 1e-12 * inj), "units: injected = on the map + decayed", "%.6g = %.6g + %.6g U, residual %.1e of the injected (<= 1e-12)", (double)inj, (double)on, (double)dec, (double)(PetscAbsReal(inj - on - dec) / inj));
  ValCheck((PetscBool)(PetscAbsReal(on / (U * PetscExpReal(-lambda * t)) - 1) <= 1e-12), "on the map = U exp(-lambda t)", "%.12g vs %.12g U (to 1e-12)", (double)on, (double)(U * PetscExpReal(-lambda * t)));
  PetscCall(EnzymeTissueDestroy(&et));
  PetscCall(DMDestroy(&da));
  PetscFunctionReturn(0);
}

VAL_MAIN("validation: hyaluronidase diffusion and decay from a bleb (analytic Gaussian, unit balance)", Body)
