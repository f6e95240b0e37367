package io.rankforge.importer.onnx;

import io.rankforge.UserInputException;

/** Makes the importer's one-line errors, each naming the file: "ONNX model FILE: …". */
record OnnxProblems(String file) {
    UserInputException error(String message) {
        return new UserInputException("ONNX model " + file + ": " + message);
    }
}
