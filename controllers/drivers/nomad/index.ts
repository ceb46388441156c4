// The nomad driver: each unit one allocation of a Stella-registered Nomad job; the job JSON the artifact.
export { nomadDriver, NomadDriver } from "./driver.ts";
export { NOMAD_JOB, NOMAD_JOB_MEDIA_TYPE, jobId, renderJobArtifact } from "./render.ts";
