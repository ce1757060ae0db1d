/// Parameters and FLOPs of a plain convolutional network, the family most user spaces describe: a stem, a stack of
/// convolution layers of per-layer width and kernel, some of which halve the resolution, and a linear classifier.
///
/// The network: a 3x3 stem convolution from `inputChannels` to `stem_width` channels; then per layer `i` a
/// `kernel[i]` x `kernel[i]` convolution to `width[i]` channels, padded by `kernel[i] / 2`, with stride 2 where
/// `downsample[i]` is 1 (else 1); every convolution without bias and followed by a BatchNorm (a weight and a bias per
/// channel); global average pooling; a linear layer with bias to `classes`. Parameters are the trainable ones
/// (BatchNorm's running statistics are not parameters), as a framework counts them: `data/cnn-cost/` holds
/// tinygrad's counts for a few architectures and the script that made them. FLOPs are twice the multiply-accumulates
/// of the convolutions and the classifier on one `imageSize` x `imageSize` image; BatchNorm, activations and pooling
/// are not counted.
public struct CNNCostModel: Sendable, Equatable {
    /// The hyperparameters the model reads, by name: two scalars and three per-layer lists counted by `depth`.
    public static let requiredHyperparameters = ["stem_width", "depth", "width", "kernel", "downsample"]

    /// Channels of the input image (3 for RGB).
    public let inputChannels: Int
    /// Height and width of the input image, in pixels.
    public let imageSize: Int
    /// Outputs of the classifier.
    public let classes: Int

    /// A cost model; all three sizes must be positive and plausible.
    public init(inputChannels: Int = 3, imageSize: Int = 32, classes: Int = 10) throws(LLMNASError) {
        guard (1...1024).contains(inputChannels), (1...16_384).contains(imageSize), (1...1_000_000).contains(classes)
        else {
            throw LLMNASError(
                .invalidSpace,
                "the cnn cost model's input_channels (1-1024), image_size (1-16384) and classes (1-1000000) must be "
                    + "positive and plausible")
        }
        self.inputChannels = inputChannels
        self.imageSize = imageSize
        self.classes = classes
    }

    /// The choices the model accepts for each hyperparameter it reads.
    static let choiceRanges: [String: ClosedRange<Int>] = [
        "stem_width": 1...1_000_000, "depth": 1...SearchSpace.maximumLayers, "width": 1...1_000_000,
        "kernel": 1...255, "downsample": 0...1,
    ]

    /// Checks that `space` holds the hyperparameters the model reads, with integer choices where it counts them.
    static func check(_ hyperparameters: [Hyperparameter]) -> String? {
        for name in requiredHyperparameters {
            guard let hp = hyperparameters.first(where: { $0.name == name }) else {
                return "the cnn cost model needs the hyperparameter '\(name)'"
            }
            let range = CNNCostModel.choiceRanges[name]!
            guard hp.choices.allSatisfy({ if case .int(let v) = $0 { range.contains(v) } else { false } }) else {
                return "the cnn cost model needs integer choices from \(range.lowerBound) to \(range.upperBound) "
                    + "for '\(name)'"
            }
            let perLayer = name == "width" || name == "kernel" || name == "downsample"
            guard !perLayer || hp.shape == .perLayer(countedBy: "depth") else {
                return "the cnn cost model needs '\(name)' per layer, counted by 'depth' (\"layers\": \"depth\")"
            }
        }
        return nil
    }

    /// Counts parameters and FLOPs of `architecture` in `space` (which `check` accepted).
    public func counts(of architecture: Architecture, in space: SearchSpace) -> CostCounts {
        func values(_ name: String) -> [Int] { space.integerValues(of: name, in: architecture) }
        // Doubles: exact up to 2^53, and a choice set of absurd widths saturates instead of overflowing an Int.
        var channels = Double(inputChannels)
        var size = imageSize
        var parameters = 0.0
        var macs = 0.0
        func convolution(to width: Int, kernel: Int, stride: Int) {
            size = (size + 2 * (kernel / 2) - kernel) / stride + 1
            let (k, w, pixels) = (Double(kernel), Double(width), Double(size * size))
            parameters += k * k * channels * w + 2 * w
            macs += pixels * k * k * channels * w
            channels = w
        }
        convolution(to: values("stem_width")[0], kernel: 3, stride: 1)
        for (width, (kernel, downsample)) in zip(values("width"), zip(values("kernel"), values("downsample"))) {
            convolution(to: width, kernel: kernel, stride: downsample == 0 ? 1 : 2)
        }
        let classifier = channels * Double(classes)
        parameters += classifier + Double(classes)
        func count(_ value: Double) -> Int { value < 9e18 ? Int(value) : 9_000_000_000_000_000_000 }
        return CostCounts(
            parameters: count(parameters), embeddingParameters: 0, flops: count(2 * (macs + classifier)),
            outputProjectionFlops: count(2 * classifier))
    }
}
