// Writing evidence packets from a controller: naming, subjects, and the write-once record.
export { packetName, recordEvidence, releaseSubjects } from "./packet.ts";
