import BackendABI

/// The plugin ABI version this host was compiled against (from tribelens_backend.h).
public enum PluginABI {
    public static let hostMajor = tribelens_host_abi_major()
    public static let hostMinor = tribelens_host_abi_minor()
    public static let entrySymbol = "tribelens_backend_entry"
    /// The longest string a table may hold (a description or default hyper-parameters).
    public static let maximumTextBytes = 65_536
    /// Bytes an ABI 1.0 table must have; a plugin reporting fewer is refused as "short".
    public static let minimumTableSize: Int = {
        MemoryLayout<tribelens_backend>.offset(of: \tribelens_backend.free_model)! + MemoryLayout<UnsafeRawPointer>.size
    }()
    /// Bytes of an ABI 1.1 table (input spec, capabilities, predict_source, load_with_config).
    public static let v1_1TableSize: Int = {
        MemoryLayout<tribelens_backend>.offset(of: \tribelens_backend.load_with_config)! + MemoryLayout<UnsafeRawPointer>.size
    }()
}
