// The dashboard's entry: the shell (header, namespace, navigation) around the screen the URL names.
// Signed out, every screen leads to sign-in and comes back afterwards.
import { render } from "preact";
import { useEffect } from "preact/hooks";
import { Layout } from "./parts/layout.tsx";
import { navigate, useRoute, type Route } from "./router.tsx";
import { currentSession } from "./session.ts";
import { AuditScreen } from "./screens/audit.tsx";
import { CanariesScreen } from "./screens/canaries.tsx";
import { CanaryScreen } from "./screens/canary.tsx";
import { DeploymentScreen } from "./screens/deployment.tsx";
import { EvidenceScreen } from "./screens/evidence.tsx";
import { PipelineScreen } from "./screens/pipeline.tsx";
import { PromotionScreen } from "./screens/promotion.tsx";
import { ReleaseScreen } from "./screens/release.tsx";
import { SignInScreen, RETURN_KEY } from "./screens/sign-in.tsx";
import { TargetsScreen } from "./screens/targets.tsx";

function Screen({ route }: { route: Route }) {
  switch (route.screen) {
    case "pipeline":
      return <PipelineScreen ns={route.ns} />;
    case "promotion":
      return <PromotionScreen ns={route.ns} name={route.name} />;
    case "deployment":
      return <DeploymentScreen ns={route.ns} name={route.name} />;
    case "release":
      return <ReleaseScreen ns={route.ns} name={route.name} />;
    case "targets":
      return <TargetsScreen ns={route.ns} />;
    case "evidence":
      return <EvidenceScreen ns={route.ns} />;
    case "audit":
      return <AuditScreen ns={route.ns} />;
    case "canaries":
      return <CanariesScreen ns={route.ns} />;
    case "canary":
      return <CanaryScreen ns={route.ns} name={route.name} />;
    case "sign-in":
      return <SignInScreen />;
    default:
      return <p role="alert">No screen at {route.path}.</p>;
  }
}

function App() {
  const route = useRoute();
  const signedIn = !!currentSession();
  useEffect(() => {
    if (route.screen === "sign-in" || signedIn) return;
    sessionStorage.setItem(RETURN_KEY, location.pathname);
    navigate("/ui/sign-in", true);
  }, [route, signedIn]);
  if (route.screen === "sign-in") return <SignInScreen />;
  if (!signedIn) return null;
  return (
    <Layout ns={"ns" in route ? route.ns : "default"} screen={route.screen}>
      <Screen route={route} />
    </Layout>
  );
}

render(<App />, document.getElementById("root")!);
