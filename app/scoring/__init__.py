"""The offline pre-screen: the ONNX scorecard, its model card, admission rules and anti-fraud flags."""
