// The docker driver: each unit one container on a Docker Engine, its create body the artifact.
export { dockerDriver, DockerDriver } from "./driver.ts";
export { CONTAINER_SPEC, CONTAINER_SPEC_MEDIA_TYPE, containerSpec, renderContainerSpecs } from "./render.ts";
