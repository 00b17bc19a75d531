/* havoc assay: the in-vitro dissolution of a filler gel by hyaluronidase, no vessel and no tissue
   (docs/model.md, "Hyaluronidase"): the HA fraction over time as CSV on stdout, the time to dissolution on
   stderr. Two contacts: well mixed (all the enzyme acts on the gel, HavocEnzymeGelStep), or a bead of gel
   on a slide under the enzyme solution (the enzyme acts where it has diffused into the gel,
   HavocEnzymeContactStep). The gel's susceptibility is the filler product's (docs/products.md) unless
   -enzyme_susceptibility is given. */
#include "cli.h"
#include "enzyme.h"
#include "filler.h"
#include "options.h"

#include <stdio.h>

static const char *const Contacts[] = {"mixed", "surface", "HavocAssayContact", "ASSAY_", NULL};
#define SUBSTEP 1.0 /* s: steps of the contact model (second order; docs/model.md) */

PetscErrorCode HavocCmdAssay(MPI_Comm comm, const HavocArgs *args)
{
  HavocEnzyme        e;
  HavocFiller        f;
  HavocEnzymeGel     g;
  PetscBool          help, found;
  char               product[64] = "juvederm_ultra_xc", list[512];
  PetscReal          V = 0.2e-6, t_end = 6 * 3600, dt = 60, t = 0, t_out = 0, t_diss = -1, given = 0, given_diss = 0;
  PetscReal          D = 3.5e-11, area = -1, M_before;
  PetscInt           ndose = 0, contact = 0, nmax;
  PetscBool          area_set;
  HavocEnzymeContact c;
  PetscMPIInt        rank;

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  PetscCall(PetscOptionsHasHelp(NULL, &help));
  HavocCheckUser(args->npos == 0 || help, comm, "usage: havoc assay [-assay_volume 0.2mL] [-assay_product NAME] [-enzyme_units 20U -enzyme_preset repeated ...]; havoc assay -help lists the options");
  PetscOptionsBegin(comm, "assay_", "havoc assay: a filler gel dissolved by hyaluronidase in vitro", NULL);
  PetscCall(HavocOptionsQuantity("-volume", "gel volume", "m^3", V, &V, NULL, HAVOC_POSITIVE, PETSC_MAX_REAL));
  PetscCall(PetscOptionsString("-product", "filler product (its HA concentration, and its susceptibility unless -enzyme_susceptibility is given)", NULL, product, product, sizeof(product), NULL));
  PetscCall(HavocOptionsQuantity("-t_end", "length of the assay", "s", t_end, &t_end, NULL, HAVOC_POSITIVE, PETSC_MAX_REAL));
  PetscCall(HavocOptionsQuantity("-dt", "interval of the printed rows", "s", dt, &dt, NULL, HAVOC_POSITIVE, PETSC_MAX_REAL));
  PetscCall(PetscOptionsEList("-contact", "mixed: all the enzyme acts on the gel; surface: a bead of gel on a slide under the enzyme solution, the enzyme acting where it has diffused into the gel", NULL, Contacts, 2, Contacts[contact], &contact, NULL));
  PetscCall(HavocOptionsQuantity("-gel_diffusivity", "surface contact: diffusivity of the enzyme in the gel", "m^2/s", D, &D, NULL, HAVOC_POSITIVE, PETSC_MAX_REAL));
  PetscCall(HavocOptionsQuantity("-contact_area", "surface contact: exposed area of the intact bead (default: the curved surface of a hemisphere of the gel's volume)", "m^2", area, &area, &area_set, HAVOC_POSITIVE, PETSC_MAX_REAL));
  PetscOptionsEnd();
  PetscCall(HavocEnzymeSetFromOptions(comm, 0, &e));
  if (help) PetscFunctionReturn(0);
  PetscCall(HavocOptionsCheckUnused(comm));
  PetscCall(HavocFillerFind(product, &f, &found));
  PetscCall(HavocFillerList(list, sizeof(list)));
  HavocCheckUser(found, comm, "option -assay_product: unknown product '%s' (expected one of: %s)", product, list);
  if (!e.susceptibility_set) e.susceptibility = f.susceptibility;
  g.M0 = g.M = f.c_ha * V;
  g.E        = 0;
  if (!area_set) area = 2 * PETSC_PI * PetscPowReal(3 * V / (2 * PETSC_PI), 2.0 / 3);
  if (rank) PetscFunctionReturn(0);
  nmax = e.preset == ENZYME_SINGLE ? 1 : e.count;
  if (contact) PetscCall(HavocEnzymeContactCreate(area, D, nmax, &c));
  printf("t_s,ha_fraction\n");
  /* from event to event: doses, printed rows, the end */
  while (t <= t_end) {
    const PetscReal td = HavocEnzymeDoseTime(&e, ndose), next = PetscMin(PetscMin(t_out, td >= 0 ? td : PETSC_MAX_REAL), t_end);
    if (next > t) {
      if (!contact) {
        if (t_diss < 0) {
          const PetscReal tau = HavocEnzymeGelTimeTo(&e, &g, e.x_dissolved * g.M0);
          if (tau >= 0 && t + tau <= next) {
            t_diss     = t + tau;
            given_diss = given;
          }
        }
        HavocEnzymeGelStep(&e, &g, next - t);
        t = next;
      } else
        while (t < next) { /* substeps, the last one ending on the event; the time to dissolution interpolated within one */
          const PetscReal h = PetscMin(SUBSTEP, next - t), target = e.x_dissolved * g.M0;
          M_before = g.M;
          HavocEnzymeContactStep(&e, &c, &g, t, h);
          if (t_diss < 0 && g.M <= target && M_before > target) {
            t_diss     = t + h * (M_before - target) / (M_before - g.M);
            given_diss = given;
          }
          t = h < next - t ? t + h : next;
        }
    }
    if (td >= 0 && t >= td && !(e.preset == ENZYME_PULSED && t_diss >= 0)) {
      if (contact) PetscCall(HavocEnzymeContactDose(&c, t, e.units, e.volume));
      else g.E += e.units;
      given += e.units;
      ndose++;
      continue;
    }
    if (td >= 0 && t >= td) ndose = e.count; /* pulsed: dissolved, no more doses */
    if (t >= t_out) {
      printf("%.10g,%.17g\n", (double)t, (double)(g.M / g.M0));
      t_out += dt;
    }
    if (t >= t_end) break;
  }
  fflush(stdout);
  if (contact) {
    PetscCall(HavocEnzymeContactDestroy(&c));
    fprintf(stderr, "havoc: assay: a bead on a slide, %.4g cm^2 exposed, enzyme diffusivity in the gel %.3g m^2/s, %.4g U in the gel at the end\n", (double)(area * 1e4), (double)D, (double)g.E);
  }
  if (t_diss >= 0)
    fprintf(stderr, "havoc: assay: %.3g mL of %s (%.3g mg HA, susceptibility %g%s), %s %s of %s: dissolved (HA below %.0f %%) at t = %.12g s (%.1f min), %.4g U given by then\n", (double)(V * 1e6), f.label, (double)(g.M0 * 1e6), (double)e.susceptibility, e.susceptibility_set ? " given" : " of the product", HavocEnzymePresets[e.preset], e.preset == ENZYME_SINGLE ? "dose" : "doses", e.product.label, (double)(100 * e.x_dissolved), (double)t_diss, (double)(t_diss / 60), (double)given_diss);
  else fprintf(stderr, "havoc: assay: %.3g mL of %s (%.3g mg HA, susceptibility %g%s): not dissolved by t = %.6g s: HA at %.1f %%, %.4g U given\n", (double)(V * 1e6), f.label, (double)(g.M0 * 1e6), (double)e.susceptibility, e.susceptibility_set ? " given" : " of the product", (double)t_end, (double)(100 * g.M / g.M0), (double)given);
  PetscFunctionReturn(0);
}
