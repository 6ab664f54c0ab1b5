import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App";
import { takeKeyFromAddress } from "./api/session";
import "@xyflow/react/dist/style.css";
import "./styles.css";

takeKeyFromAddress();
const root = document.getElementById("root");
if (!root) throw new Error("no #root element");
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
