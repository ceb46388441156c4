// What /version reports. Stella speaks the Kubernetes API at the level of v1.32, so it reports
// major 1, minor 32 (kubectl uses these for version-skew checks); gitVersion names Stella itself.

/** The server version document. */
export const SERVER_VERSION = { major: "1", minor: "32", gitVersion: "v1.32.0+stella.0.1.0" };
