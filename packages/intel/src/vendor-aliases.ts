/**
 * @module vendor-aliases
 * Data: vendor names that differ in more than case, spacing, punctuation and corporate suffixes
 * (which `normaliseVendor` removes by rule), each mapped to one canonical key and with the public
 * document where the variant was seen. Add a row when an advisory or an inventory spells a
 * manufacturer another way; keep the source.
 */

export interface VendorAlias {
  /** The variant, already normalised by rule (lower-case, no punctuation or suffixes, no spaces). */
  readonly variant: string;
  /** The canonical key it means. */
  readonly canonical: string;
  /** Where the variant appears. */
  readonly source: string;
}

export const VENDOR_ALIASES: readonly VendorAlias[] = [
  {
    variant: 'phillips',
    canonical: 'philips',
    source: 'CISA CSAF ICSMA-18-025-01 and ICSMA-18-058-02 (vendor branch "Phillips")',
  },
  {
    variant: 'generalelectric',
    canonical: 'ge',
    source: 'CISA CSAF ICSMA-19-190-01, ICSMA-20-023-01 ("General Electric (GE)") vs ICSMA-20-343-01 ("GE Healthcare")',
  },
  {
    variant: 'becton',
    canonical: 'bd',
    source: 'CISA CSAF ICSMA-19-164-01 ("Becton, Dickinson and Company (BD)"); BD is the company’s own name',
  },
  {
    variant: 'bectondickinson',
    canonical: 'bd',
    source: 'CISA CSAF ICSMA-19-164-01 ("Becton, Dickinson and Company (BD)")',
  },
  {
    variant: 'bectondickinsonand',
    canonical: 'bd',
    source: 'CISA CSAF ICSMA-19-164-01 ("Becton, Dickinson and Company (BD)")',
  },
  {
    variant: 'draeger',
    canonical: 'drager',
    source: 'CISA CSAF ICSMA-19-022-01 ("Dräger"); "Draeger" is the ASCII spelling the company uses',
  },
  {
    variant: 'siemenshealthineers',
    canonical: 'siemens',
    source: 'CISA CSAF ICSMA advisories name "Siemens"; Siemens Healthineers publishes its own',
  },
  {
    variant: 'bbraunmelsungen',
    canonical: 'bbraun',
    source:
      'CISA CSAF ICSMA-20-296-01 ("B. Braun Medical") and ICSMA-17-082-02 ("B. Braun"); B. Braun Melsungen AG is the legal name',
  },
  {
    variant: 'hillromandelibaxter',
    canonical: 'hillrom',
    source: 'CISA CSAF ICSMA advisory naming "Hillrom and ELI, Baxter International Inc."',
  },
  {
    variant: 'omronhealthcare',
    canonical: 'omron',
    source: 'HL7 PHD IG example Device phd-711000FEFF5F49B0.B0495F001071 (manufacturer "OMRONHEALTHCARE")',
  },
  { variant: 'roche', canonical: 'rochediagnostics', source: 'CISA CSAF ICSMA advisory naming "Roche Diagnostics"' },
];
