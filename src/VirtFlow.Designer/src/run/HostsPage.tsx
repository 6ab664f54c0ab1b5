import { useEffect, useState } from "react";
import { ErrorLine } from "../shared/ErrorLine";
import { runApi } from "./runApi";
import type { HostInfo, VmInfo } from "./runTypes";

/** The workers and their VMs; a VM opened shows its disks and block jobs as its worker sees them now. */
export function HostsPage() {
  const [hosts, setHosts] = useState<HostInfo[] | null>(null);
  const [open, setOpen] = useState<{ host: string; vm: string } | null>(null);
  const [vm, setVm] = useState<VmInfo | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    runApi.hosts().then(setHosts).catch(setError);
  }, []);
  useEffect(() => {
    if (!open) return;
    setVm(null);
    setError(null);
    runApi.vm(open.host, open.vm).then(setVm).catch(setError);
  }, [open]);

  return (
    <section className="hosts-page" data-testid="hosts-page">
      <h2>Hosts</h2>
      <ErrorLine error={error} />
      <table className="grid" data-testid="hosts-table">
        <thead><tr><th>host</th><th>worker</th><th>version</th><th>state</th><th>last seen</th><th>VMs</th></tr></thead>
        <tbody>
          {hosts?.map(h => (
            <tr key={h.hostId} data-testid={`host-${h.hostId}`}>
              <td>{h.hostId}</td>
              <td>{h.workerId ?? ""}</td>
              <td>{h.version ?? ""}</td>
              <td><span className={`status ${h.online ? "status-completed" : "status-faulted"}`}>{h.online ? "online" : "offline"}</span></td>
              <td>{h.lastSeen ? new Date(h.lastSeen).toLocaleString() : ""}</td>
              <td>
                {h.vms.map(v => (
                  <button key={v.name} type="button" className={`vm ${v.connected ? "" : "disconnected"}`} onClick={() => setOpen({ host: h.hostId, vm: v.name })} data-testid={`vm-${h.hostId}-${v.name}`}>
                    {v.name}{v.connected ? "" : " (monitor not connected)"}
                  </button>
                ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {hosts?.length === 0 && <p>No worker has reported yet.</p>}
      {open && vm && (
        <div className="vm-detail" data-testid="vm-detail">
          <h3>{open.vm} on {open.host} <small>QEMU {vm.qemuVersion ?? "?"}, {vm.runState ?? "?"}</small></h3>
          <table className="grid" data-testid="vm-disks">
            <thead><tr><th>disk</th><th>node</th><th>file</th><th>format</th><th>size</th><th>job</th></tr></thead>
            <tbody>
              {vm.disks.map(d => (
                <tr key={d.device}>
                  <td>{d.device}</td><td>{d.node ?? ""}</td><td>{d.file ?? ""}</td><td>{d.format ?? ""}</td>
                  <td>{d.virtualSize === null ? "" : `${(d.virtualSize / 2 ** 20).toFixed(0)} MiB`}</td><td>{d.hasJob ? "yes" : ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h4>Jobs</h4>
          {vm.jobs.length === 0 ? <p data-testid="vm-no-jobs">No block job.</p> : (
            <table className="grid" data-testid="vm-jobs">
              <thead><tr><th>id</th><th>type</th><th>status</th><th>error</th></tr></thead>
              <tbody>{vm.jobs.map(j => <tr key={j.id}><td>{j.id}</td><td>{j.type}</td><td>{j.status}</td><td>{j.error ?? ""}</td></tr>)}</tbody>
            </table>
          )}
        </div>
      )}
    </section>
  );
}
