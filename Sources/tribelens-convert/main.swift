// tribelens-convert: reads one Keras .h5 file with libhdf5 in a process of its own, so that a
// file that crashes or hangs libhdf5 ends this process, not the app (docs/reliability.md).
// Started only by FaceKit's IsolatedRun (KerasWeightsImport):
//
//   tribelens-convert --cpu-seconds S --memory-mb M keras-h5 IN OUT
//
// writes IN's weights to OUT as safetensors (KerasSafetensors), the copy the app then owns. The
// limits are applied before anything else. The report, one JSON object
// ({"converted": true, "weights": N} or {"converted": false, "message": "..."}), goes to standard
// output, followed by the supervisor's "peak-kb N"; anything else printed there is diverted.
// Exit status 0 with a report; 2 for bad arguments; 124 when the limits cannot be set.
import CProbeSupport
import Foundation
import KerasWeights

func fail(_ status: Int32, _ message: String) -> Never {
    FileHandle.standardError.write(Data("tribelens-convert: \(message)\n".utf8))
    exit(status)
}

let arguments = Array(CommandLine.arguments.dropFirst())
guard arguments.count == 7, arguments[0] == "--cpu-seconds", let cpu = UInt64(arguments[1]),
      arguments[2] == "--memory-mb", let memory = UInt64(arguments[3]), cpu > 0, memory > 0, arguments[4] == "keras-h5" else {
    fail(2, "usage: tribelens-convert --cpu-seconds S --memory-mb M keras-h5 IN OUT")
}
guard tl_probe_confine(cpu, memory << 20) == 0 else { fail(124, "cannot set resource limits: \(String(cString: strerror(errno)))") }
let reportFD = tl_probe_divert_stdout()
guard reportFD >= 0 else { fail(124, "cannot divert standard output: \(String(cString: strerror(errno)))") }
// The work in a worker process, so that the parent learns its own peak memory (no thread runs yet).
tl_probe_supervise(reportFD)

var report = Data(KerasConversion.run(input: arguments[5], output: arguments[6]).utf8)
report.append(0x0A)
_ = report.withUnsafeBytes { tl_probe_write_all(reportFD, $0.baseAddress, UInt64($0.count)) }
exit(0)
