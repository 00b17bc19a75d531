/* The filler product table. Sources: ../reference/ha-enzyme-ischemia.md section 1 (concentrations:
   labels and reviews; G': the harmonised ranges of Fagien et al. 2019 and de la Guardia et al. 2022,
   representative values [M]); NASHA particle sizes (Restylane ~250 um, Lyft ~850 um [M]). The yield
   stress, plug viscosity and fragment size of cohesive gels are estimates [E], documented in
   docs/model.md; every value can be overridden with a -bolus_ option. */
#include "filler.h"

#include <string.h>

#define YIELD_STRAIN  0.2    /* tau_y = 0.2 G' */
#define MU_GEL        1.0    /* Pa s: apparent viscosity of a moving gel plug: shear-thinning fillers at wall shear rates of 10-100 s^-1 [E] */
#define FRAG_COHESIVE 200e-6 /* m: fragments of a cohesive gel in pulsatile flow, 50 um to > 1 mm [E] */
#define K_PARTICULATE 1e-13  /* m^2: Kozeny-Carman, geometric middle of 1e-14 .. 1e-12 */

typedef struct {
  const char *name, *label;
  PetscReal   c_ha, G, particle;
} Entry;

static const Entry table[] = {
  {"juvederm_ultra_xc", "Juvederm Ultra XC", 24, 150, 0},
  {"juvederm_volbella", "Juvederm Volbella XC", 15, 250, 0},
  {"juvederm_volift", "Juvederm Volift / Vollure XC", 17.5, 300, 0},
  {"juvederm_voluma", "Juvederm Voluma XC", 20, 350, 0},
  {"juvederm_volux", "Juvederm Volux", 25, 650, 0},
  {"restylane_l", "Restylane-L", 20, 700, 250e-6},
  {"restylane_lyft", "Restylane Lyft", 20, 800, 850e-6},
  {"restylane_kysse", "Restylane Kysse", 20, 250, 0},
  {"belotero_balance", "Belotero Balance", 22.5, 50, 0},
  {"belotero_volume", "Belotero Volume", 26, 300, 0},
  {"rha_4", "Teosyal RHA 4", 23, 300, 0},
  {"profhilo", "Profhilo", 32, 10, 0},
};

PetscReal HavocFillerPermeability(PetscReal c_ha)
{
  const PetscReal a = 0.5e-9, phi = c_ha * 0.57e-3;

  return 3 * a * a / (20 * phi) * (-PetscLogReal(phi) - 0.931);
}

PetscErrorCode HavocFillerFind(const char name[], HavocFiller *f, PetscBool *found)
{
  PetscFunctionBeginUser;
  *found = PETSC_FALSE;
  for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
    const Entry *e = &table[i];
    if (strcmp(e->name, name)) continue;
    f->name      = e->name;
    f->label     = e->label;
    f->c_ha      = e->c_ha;
    f->G         = e->G;
    f->tau_y     = YIELD_STRAIN * e->G;
    f->mu_gel    = MU_GEL;
    f->particles = (PetscBool)(e->particle > 0);
    f->fragment  = f->particles ? e->particle : FRAG_COHESIVE;
    f->k         = f->particles ? K_PARTICULATE : HavocFillerPermeability(e->c_ha);
    *found       = PETSC_TRUE;
  }
  PetscFunctionReturn(0);
}

PetscErrorCode HavocFillerList(char buf[], size_t len)
{
  PetscFunctionBeginUser;
  buf[0] = 0;
  for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
    PetscCall(HavocListAppend(buf, len, table[i].name));
  PetscFunctionReturn(0);
}
