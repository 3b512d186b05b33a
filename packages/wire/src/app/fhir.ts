/**
 * @module app/fhir
 * FHIR REST recognition from an HTTP request (FHIR R4 §3.1.0): the resource type in the path (after an
 * optional base such as `/fhir/r4`) and the interaction the method and path make.
 */

/** The resource types of FHIR R4 (4.0.1). */
export const FHIR_R4_RESOURCE_TYPES: ReadonlySet<string> = new Set(
  (
    'Account ActivityDefinition AdverseEvent AllergyIntolerance Appointment AppointmentResponse AuditEvent Basic Binary ' +
    'BiologicallyDerivedProduct BodyStructure Bundle CapabilityStatement CarePlan CareTeam CatalogEntry ChargeItem ' +
    'ChargeItemDefinition Claim ClaimResponse ClinicalImpression CodeSystem Communication CommunicationRequest ' +
    'CompartmentDefinition Composition ConceptMap Condition Consent Contract Coverage CoverageEligibilityRequest ' +
    'CoverageEligibilityResponse DetectedIssue Device DeviceDefinition DeviceMetric DeviceRequest DeviceUseStatement ' +
    'DiagnosticReport DocumentManifest DocumentReference EffectEvidenceSynthesis Encounter Endpoint EnrollmentRequest ' +
    'EnrollmentResponse EpisodeOfCare EventDefinition Evidence EvidenceVariable ExampleScenario ExplanationOfBenefit ' +
    'FamilyMemberHistory Flag Goal GraphDefinition Group GuidanceResponse HealthcareService ImagingStudy Immunization ' +
    'ImmunizationEvaluation ImmunizationRecommendation ImplementationGuide InsurancePlan Invoice Library Linkage List ' +
    'Location Measure MeasureReport Media Medication MedicationAdministration MedicationDispense MedicationKnowledge ' +
    'MedicationRequest MedicationStatement MedicinalProduct MedicinalProductAuthorization MedicinalProductContraindication ' +
    'MedicinalProductIndication MedicinalProductIngredient MedicinalProductInteraction MedicinalProductManufactured ' +
    'MedicinalProductPackaged MedicinalProductPharmaceutical MedicinalProductUndesirableEffect MessageDefinition ' +
    'MessageHeader MolecularSequence NamingSystem NutritionOrder Observation ObservationDefinition OperationDefinition ' +
    'OperationOutcome Organization OrganizationAffiliation Parameters Patient PaymentNotice PaymentReconciliation Person ' +
    'PlanDefinition Practitioner PractitionerRole Procedure Provenance Questionnaire QuestionnaireResponse RelatedPerson ' +
    'RequestGroup ResearchDefinition ResearchElementDefinition ResearchStudy ResearchSubject RiskAssessment ' +
    'RiskEvidenceSynthesis Schedule SearchParameter ServiceRequest Slot Specimen SpecimenDefinition StructureDefinition ' +
    'StructureMap Subscription Substance SubstanceNucleicAcid SubstancePolymer SubstanceProtein ' +
    'SubstanceReferenceInformation SubstanceSourceMaterial SubstanceSpecification SupplyDelivery SupplyRequest Task ' +
    'TerminologyCapabilities TestReport TestScript ValueSet VerificationResult VisionPrescription'
  ).split(' '),
);

/** How far into the path the resource type may sit (`/fhir/r4/Patient` → third segment). */
const MAX_BASE_SEGMENTS = 4;

export interface FhirRequest {
  readonly resourceType?: string;
  readonly interaction?: string;
  /** The path with the logical id (and version id) replaced by `{id}`/`{vid}`. */
  readonly path: string;
}

export function isFhirMediaType(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const t = contentType.toLowerCase();
  return t.includes('application/fhir+json') || t.includes('application/fhir+xml') || t.includes('+fhir');
}

/**
 * Recognises a FHIR REST request. Returns null when the path has no R4 resource type and the media
 * type is not FHIR's.
 */
export function recognizeFhir(method: string, path: string, fhirMedia: boolean): FhirRequest | null {
  const segments = path.split('/');
  // segments[0] is '' for an absolute path
  let at = -1;
  for (let i = 1; i < segments.length && i <= MAX_BASE_SEGMENTS + 1; i++) {
    if (FHIR_R4_RESOURCE_TYPES.has(segments[i] ?? '')) {
      at = i;
      break;
    }
  }
  if (at < 0) {
    if (!fhirMedia) return null;
    const op = segments.find((s) => s.startsWith('$'));
    return { path, ...(op === undefined ? {} : { interaction: 'operation' }) };
  }
  const resourceType = segments[at] ?? '';
  const rest = segments.slice(at + 1).filter((s) => s !== '');
  const redacted = [...segments.slice(0, at + 1)];
  let interaction: string | undefined;
  const [first, second, third] = rest;
  if (first === undefined) {
    interaction =
      method === 'GET'
        ? 'search'
        : method === 'POST'
          ? 'create'
          : method === 'PUT' || method === 'PATCH'
            ? 'update'
            : method === 'DELETE'
              ? 'delete'
              : undefined;
  } else if (first === '_search') {
    interaction = 'search';
    redacted.push(first);
  } else if (first === '_history') {
    interaction = 'history';
    redacted.push(first);
  } else if (first.startsWith('$')) {
    interaction = 'operation';
    redacted.push(first);
  } else {
    redacted.push('{id}');
    if (second === undefined) {
      interaction =
        method === 'GET' || method === 'HEAD'
          ? 'read'
          : method === 'PUT' || method === 'PATCH'
            ? 'update'
            : method === 'DELETE'
              ? 'delete'
              : undefined;
    } else if (second === '_history') {
      redacted.push(second);
      if (third === undefined) interaction = 'history';
      else {
        interaction = 'read'; // vread
        redacted.push('{vid}');
      }
    } else if (second.startsWith('$')) {
      interaction = 'operation';
      redacted.push(second);
    } else {
      interaction = 'search'; // compartment search: /Patient/{id}/Observation
      redacted.push(second);
    }
  }
  return { resourceType, ...(interaction === undefined ? {} : { interaction }), path: redacted.join('/') };
}
