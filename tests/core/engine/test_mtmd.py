"""app/core/engine/mtmd.py against the real llama.cpp (libmtmd), with a tiny random-weight projector.

The projector (tests/support/make_mmproj.py) has random weights: these tests prove that pixels go through
llama.cpp's real image encoder into SmolLM2's context, never that anything is seen. No Qt.
"""
from __future__ import annotations


import numpy as np
import pytest

from app.core.engine.mtmd import Image, Projector, ProjectorError
from tests.support.make_mmproj import U32, write_tiny_projector

N_EMBD = 576  # SmolLM2-135M


@pytest.fixture(scope="module")
def llm(starter_model):
    import llama_cpp

    model = llama_cpp.Llama(model_path=str(starter_model), n_ctx=1024, n_threads=1, n_threads_batch=1,
                            verbose=False)
    yield model
    model.close()


@pytest.fixture(scope="module")
def mmproj(tmp_path_factory):
    return write_tiny_projector(tmp_path_factory.mktemp("mmproj") / "tiny-mmproj.gguf", n_embd_text=N_EMBD)


@pytest.fixture(scope="module")
def projector(llm, mmproj):
    with Projector(llm, mmproj, n_threads=1) as p:
        yield p


@pytest.fixture
def ctx(llm):
    """The Llama's context with an empty KV cache."""
    import llama_cpp

    llama_cpp.llama_memory_clear(llama_cpp.llama_get_memory(llm._ctx.ctx), True)
    llm.n_tokens = 0
    return llm._ctx.ctx


def random_image(w: int, h: int, seed: int) -> Image:
    rgb = np.random.default_rng(seed).integers(0, 256, size=(h, w, 3), dtype=np.uint8).tobytes()
    return Image(w, h, rgb)


def prompt(marker: str) -> str:
    return "<|im_start|>user\n" + marker + "What is this?<|im_end|>\n<|im_start|>assistant\n"


def eval_all(projector, chunks) -> int:
    n_past = 0
    for i, chunk in enumerate(chunks):
        n_past = projector.eval_chunk(chunk, n_past, logits_last=i == len(chunks) - 1)
    return n_past


def last_logits(llm, ctx) -> np.ndarray:
    import llama_cpp

    return np.ctypeslib.as_array(llama_cpp.llama_get_logits_ith(ctx, -1), shape=(llm.n_vocab(),)).copy()


def test_image_prompt_evaluates_and_decodes(llm, projector, ctx):
    """text, image, text chunks; positions add up; 5 greedy tokens follow. The text is meaningless by design."""
    import llama_cpp

    image = random_image(48, 40, seed=1)  # not square: llama.cpp resizes it to the projector's 32x32
    with projector.tokenize(prompt(projector.marker), [image]) as chunks:
        assert [c.kind for c in chunks] == ["text", "image", "text"]
        text0, img, text1 = chunks
        assert img.image_id == image.id and img.n_tokens == 4 and img.n_pos == 4  # 4x4 patches, pooled by 2
        assert text0.tokens[:3] == llm.tokenize(b"<|im_start|>user\n", add_bos=False, special=True)
        tail = llm.tokenize(b"What is this?<|im_end|>\n<|im_start|>assistant\n", add_bos=False, special=True)
        assert text1.tokens[-len(tail):] == tail  # after gemma3's <end_of_image>, added as plain text
        n_past = eval_all(projector, chunks)
        assert n_past == sum(c.n_pos for c in chunks) == chunks.n_pos

    # the logits of the last prompt token are there: sample, then decode each token at the next position
    sampler = llama_cpp.llama_sampler_init_greedy()
    batch = llama_cpp.llama_batch_init(1, 0, 1)
    out = []
    try:
        for _ in range(5):
            token = llama_cpp.llama_sampler_sample(sampler, ctx, -1)
            out.append(token)
            batch.n_tokens = 1
            batch.token[0], batch.pos[0], batch.n_seq_id[0], batch.logits[0] = token, n_past, 1, True
            batch.seq_id[0][0] = 0
            assert llama_cpp.llama_decode(ctx, batch) == 0
            n_past += 1
    finally:
        llama_cpp.llama_batch_free(batch)
        llama_cpp.llama_sampler_free(sampler)
    assert len(out) == 5 and all(0 <= t < llm.n_vocab() for t in out)


def test_pixels_reach_the_model(llm, projector, ctx):
    import llama_cpp

    mem = llama_cpp.llama_get_memory(ctx)
    a, b = random_image(48, 40, seed=1), random_image(48, 40, seed=2)
    assert a.id != b.id
    logits = {}
    for name, image in (("a", a), ("b", b), ("a again", a)):
        llama_cpp.llama_memory_clear(mem, True)
        with projector.tokenize(prompt(projector.marker), [image]) as chunks:
            assert chunks[1].image_id == image.id
            eval_all(projector, chunks)
        logits[name] = last_logits(llm, ctx)
    np.testing.assert_allclose(logits["a"], logits["a again"], rtol=1e-4, atol=1e-4)  # deterministic
    assert np.abs(logits["a"] - logits["b"]).max() > 1e-3  # so the difference is the pixels


def test_wrong_width_is_refused(llm, tmp_path):
    path = write_tiny_projector(tmp_path / "wide.gguf", n_embd_text=960)
    with pytest.raises(ProjectorError) as exc:
        Projector(llm, path)
    assert "960" in str(exc.value) and "576" in str(exc.value) and "does not fit" in str(exc.value)


@pytest.mark.parametrize("keep", [0.0001, 0.01, 0.5, 0.99])
def test_truncated_projector_is_refused(llm, mmproj, tmp_path, keep):
    data = mmproj.read_bytes()
    path = tmp_path / "cut.gguf"
    path.write_bytes(data[:max(1, int(len(data) * keep))])
    with pytest.raises(ProjectorError, match="cut.gguf"):
        Projector(llm, path)


@pytest.mark.parametrize("overrides, words", [
    ({"clip.vision.attention.head_count": U32(3)}, "heads"),  # GGML_ASSERT (abort) in llama.cpp's warmup
    ({"clip.vision.image_size": U32(0)}, "image size"),  # GGML_ASSERT in the warmup's convolution
    ({"clip.vision.attention.layer_norm_epsilon": float("nan")}, "epsilon"),  # GGML_ASSERT at the first encode
    ({"clip.has_vision_encoder": False}, "no vision encoder"),
    ({"general.architecture": "llama"}, "not a projector"),
    ({"clip.projector_type": "nosuch"}, "unknown projector type: nosuch"),  # llama.cpp's own reason, from its log
])
def test_malformed_projector_is_refused(llm, tmp_path, overrides, words):
    path = write_tiny_projector(tmp_path / "bad.gguf", overrides=overrides)
    with pytest.raises(ProjectorError, match=words):
        Projector(llm, path)


def test_marker_and_image_counts_must_match(projector):
    image = random_image(16, 16, seed=3)
    for text, images in ((prompt(projector.marker * 2), [image]), (prompt(""), [image]),
                         (prompt(projector.marker), [])):
        with pytest.raises(ProjectorError, match="image markers"):
            projector.tokenize(text, images)


def test_projector_for_another_vocabulary_is_refused(llm, tmp_path):
    # idefics3 (SmolVLM) needs <fake_token_around_image> etc.; SmolLM2 lacks them and llama.cpp would abort
    path = write_tiny_projector(tmp_path / "idefics3.gguf", projector_type="idefics3")
    with Projector(llm, path) as p:
        with pytest.raises(ProjectorError, match="another text model"):
            p.tokenize(prompt(p.marker), [random_image(48, 40, seed=4)])


def test_close_frees_and_refuses_further_use(llm, mmproj, ctx):
    p = Projector(llm, mmproj)
    kept = p.tokenize(prompt(p.marker), [random_image(20, 20, seed=5)])
    done = p.tokenize(prompt(p.marker), [random_image(20, 20, seed=6)])
    done.close()
    done.close()
    with pytest.raises(ProjectorError, match="closed"):
        p.eval_chunk(done[0], 0)
    p.close()
    assert kept.closed
    p.close()
    with pytest.raises(ProjectorError, match="closed"):
        p.tokenize(prompt(p.marker), [random_image(20, 20, seed=5)])
    with pytest.raises(ProjectorError, match="closed"):
        p.eval_chunk(kept[0], 0)


def test_image_checks_its_bytes():
    with pytest.raises(ProjectorError, match="bytes"):
        Image(4, 4, b"\0" * 47)
    assert Image(1, 1, b"abc").id != Image(1, 1, b"abd").id
