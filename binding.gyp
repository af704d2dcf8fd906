# Build of the native addon (build/Release/sockdoc.node): netlink sock_diag
# dump and destroy (in any network namespace), the /proc fd scan, and the
# TCP state tracer and the socket fd iterator (BPF, assembled in
# native/bpf-*-program.cc). Linux only; see native/.
# sockdoc_stamp then records the addon's SHA-256 beside it
# (sockdoc.node.sha256), which src/sources/native-file.ts checks before loading.
{
  "targets": [
    {
      "target_name": "sockdoc",
      "sources": [
        "native/addon.cc",
        "native/errors.cc",
        "native/netlink-socket.cc",
        "native/netns.cc",
        "native/inet-diag-dump.cc",
        "native/inet-diag-stream.cc",
        "native/state-tally.cc",
        "native/inet-diag-destroy.cc",
        "native/fd-scan.cc",
        "native/bpf-syscall.cc",
        "native/bpf-ring.cc",
        "native/bpf-state-program.cc",
        "native/bpf-state-tracer.cc",
        "native/bpf-fd-program.cc",
        "native/bpf-fd-iter.cc",
        "native/bpf-tcp-program.cc",
        "native/bpf-tcp-iter.cc"
      ],
      "dependencies": ["<!(node -p \"require('node-addon-api').targets\"):node_addon_api_except_all"],
      "defines": ["NAPI_VERSION=8"],
      "cflags_cc": ["-std=c++17", "-O2", "-Wall", "-Wextra", "-fexceptions", "-pthread"],
      "cflags_cc!": ["-fno-exceptions"],
      "ldflags": ["-pthread"]
    },
    {
      "target_name": "sockdoc_stamp",
      "type": "none",
      "dependencies": ["sockdoc"],
      "actions": [
        {
          "action_name": "write_stamp",
          "inputs": ["<(PRODUCT_DIR)/sockdoc.node", "native/write-stamp.cjs"],
          "outputs": ["<(PRODUCT_DIR)/sockdoc.node.sha256"],
          "action": ["node", "native/write-stamp.cjs", "<(PRODUCT_DIR)/sockdoc.node", "<(PRODUCT_DIR)/sockdoc.node.sha256"]
        }
      ]
    }
  ]
}
