// SafeIndex: the faiss-node class the project uses (copied into node_modules/faiss-node/src at install).
// It fills the upstream binding's gaps: typed arrays in and out, caller-chosen ids, search parameters,
// FAISS exceptions turned into JS Errors instead of aborting the process, and a search off the event loop.
#include <napi.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <exception>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <utility>
#include <vector>

#include <faiss/AutoTune.h>
#include <faiss/Index.h>
#include <faiss/IndexHNSW.h>
#include <faiss/IndexIDMap.h>
#include <faiss/IndexIVF.h>
#include <faiss/IndexRefine.h>
#include <faiss/impl/IDSelector.h>
#include <faiss/index_factory.h>
#include <faiss/index_io.h>

namespace {

using idx_t = faiss::Index::idx_t;

// Largest integer a double holds exactly: ids given as Float64Array must stay below it to round-trip.
constexpr double kMaxSafeId = 9007199254740991.0;

// An async search runs on a libuv thread while JS may call mutating methods: searches share the lock;
// everything that changes the index (add, remove, train, parameters, an HNSW per-search efSearch) takes it alone.
struct Guarded {
  std::unique_ptr<faiss::Index> index;
  std::shared_mutex mutex;
};

// Runs one FAISS call; a FaissException (or any std::exception) becomes a JS Error naming the operation,
// because an exception escaping a node-addon-api callback terminates the process.
template <typename F>
auto faissCall(Napi::Env env, const std::string& what, F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const Napi::Error&) {
    throw;
  } catch (const std::exception& e) {
    throw Napi::Error::New(env, "faiss " + what + " failed: " + e.what());
  }
}

struct FloatRows {
  const float* data;
  idx_t n;
};

FloatRows floatRows(const Napi::Value& value, int d, const std::string& what) {
  Napi::Env env = value.Env();
  if (!value.IsTypedArray() || value.As<Napi::TypedArray>().TypedArrayType() != napi_float32_array) {
    throw Napi::TypeError::New(env, what + ": vectors must be a Float32Array");
  }
  auto array = value.As<Napi::Float32Array>();
  if (array.ElementLength() % static_cast<size_t>(d) != 0) {
    throw Napi::RangeError::New(env, what + ": Float32Array length " + std::to_string(array.ElementLength()) +
                                         " is not a multiple of the index dimension " + std::to_string(d));
  }
  return {array.Data(), static_cast<idx_t>(array.ElementLength() / d)};
}

std::vector<idx_t> ids(const Napi::Value& value, const std::string& what) {
  Napi::Env env = value.Env();
  if (!value.IsTypedArray()) {
    throw Napi::TypeError::New(env, what + ": ids must be a BigInt64Array or Float64Array");
  }
  auto type = value.As<Napi::TypedArray>().TypedArrayType();
  std::vector<idx_t> out;
  if (type == napi_bigint64_array) {
    auto array = value.As<Napi::TypedArrayOf<int64_t>>();
    out.assign(array.Data(), array.Data() + array.ElementLength());
  } else if (type == napi_float64_array) {
    auto array = value.As<Napi::Float64Array>();
    out.reserve(array.ElementLength());
    for (size_t i = 0; i < array.ElementLength(); i++) {
      double id = array[i];
      if (!(id >= 0 && id <= kMaxSafeId) || std::trunc(id) != id) {
        throw Napi::RangeError::New(env, what + ": ids[" + std::to_string(i) + "] = " + std::to_string(id) +
                                             " is not an integer in [0, 2^53)");
      }
      out.push_back(static_cast<idx_t>(id));
    }
    return out;
  } else {
    throw Napi::TypeError::New(env, what + ": ids must be a BigInt64Array or Float64Array");
  }
  // FAISS reports "no neighbour" as -1, so a negative id could not be told apart from a missing result.
  for (size_t i = 0; i < out.size(); i++) {
    if (out[i] < 0) {
      throw Napi::RangeError::New(env, what + ": ids[" + std::to_string(i) + "] = " + std::to_string(out[i]) +
                                           " is negative");
    }
  }
  return out;
}

idx_t integerK(const Napi::Value& value, const std::string& what) {
  if (!value.IsNumber()) {
    throw Napi::TypeError::New(value.Env(), what + ": k must be a number");
  }
  // Range is checked in runSearch as a FAISS error, alike for every index type and both search paths.
  double k = value.As<Napi::Number>().DoubleValue();
  if (std::trunc(k) != k) {
    throw Napi::RangeError::New(value.Env(), what + ": k = " + std::to_string(k) + " is not an integer");
  }
  return static_cast<idx_t>(k);
}

std::string stringArg(const Napi::CallbackInfo& info, size_t i, const std::string& what, const char* name) {
  if (info.Length() <= i || !info[i].IsString()) {
    throw Napi::TypeError::New(info.Env(), what + ": " + name + " must be a string");
  }
  return info[i].As<Napi::String>().Utf8Value();
}

double numberArg(const Napi::CallbackInfo& info, size_t i, const std::string& what, const char* name) {
  if (info.Length() <= i || !info[i].IsNumber()) {
    throw Napi::TypeError::New(info.Env(), what + ": " + name + " must be a number");
  }
  return info[i].As<Napi::Number>().DoubleValue();
}

// Per-search knobs (0 = the index's own setting). Passed with each search rather than set on the index, so
// concurrent async searches with different values cannot see each other's.
struct Knobs {
  size_t nprobe = 0;
  int efSearch = 0;
};

Knobs knobsArg(const Napi::CallbackInfo& info, size_t i, const std::string& what) {
  Knobs knobs;
  if (info.Length() <= i || info[i].IsUndefined()) return knobs;
  if (!info[i].IsObject()) {
    throw Napi::TypeError::New(info.Env(), what + ": params must be an object");
  }
  Napi::Object params = info[i].As<Napi::Object>();
  Napi::Array keys = params.GetPropertyNames();
  for (uint32_t j = 0; j < keys.Length(); j++) {
    std::string key = keys.Get(j).ToString().Utf8Value();
    Napi::Value v = params.Get(key);
    if (v.IsUndefined()) continue;
    double x = v.IsNumber() ? v.As<Napi::Number>().DoubleValue() : -1;
    if (!(x >= 1 && x <= 1e9) || std::trunc(x) != x) {
      throw Napi::RangeError::New(info.Env(), what + ": params." + key + " must be a positive integer");
    }
    if (key == "nprobe") {
      knobs.nprobe = static_cast<size_t>(x);
    } else if (key == "efSearch") {
      knobs.efSearch = static_cast<int>(x);
    } else {
      throw Napi::RangeError::New(info.Env(), what + ": unknown search parameter \"" + key + "\" (nprobe, efSearch)");
    }
  }
  return knobs;
}

struct SearchResult {
  std::vector<float> distances;
  std::vector<idx_t> labels;
};

// Where a search writes its nq × k results: FAISS's own output convention, caller-owned memory.
struct SearchOut {
  float* distances;
  idx_t* labels;
};

// Puts a swapped index setting back when the search ends, thrown or not.
template <typename T>
struct Restore {
  T& slot;
  T saved;
  ~Restore() { slot = saved; }
};

// With knobs the wrapped index is searched directly and its positions translated to ids (what IndexIDMap::search
// does itself), because FAISS 1.7.3's IndexIDMap rejects SearchParameters.
void searchWithKnobs(Guarded& guarded, const float* x, idx_t nq, idx_t k, const Knobs& knobs, SearchOut r) {
  auto* idmap = dynamic_cast<faiss::IndexIDMap*>(guarded.index.get());
  faiss::Index* inner = idmap ? idmap->index : guarded.index.get();
  if (auto* ivf = dynamic_cast<faiss::IndexIVF*>(inner)) {
    FAISS_THROW_IF_NOT_MSG(knobs.efSearch == 0, "efSearch applies to HNSW indexes, this one is IVF");
    faiss::SearchParametersIVF params;
    params.nprobe = knobs.nprobe;
    params.max_codes = ivf->max_codes;
    std::shared_lock lock(guarded.mutex);
    ivf->search(nq, x, k, r.distances, r.labels, &params);
  } else if (auto* hnsw = dynamic_cast<faiss::IndexHNSW*>(inner)) {
    FAISS_THROW_IF_NOT_MSG(knobs.nprobe == 0, "nprobe applies to IVF indexes, this one is HNSW");
    // FAISS 1.7.3's HNSW sizes its candidate queue from hnsw.efSearch even when SearchParametersHNSW is given
    // (measured: index efSearch 16 with parameter 256 gave efSearch-16 recall), so the index's own value is
    // swapped for the call, which needs the index to itself.
    std::unique_lock lock(guarded.mutex);
    Restore<int> restore{hnsw->hnsw.efSearch, hnsw->hnsw.efSearch};
    hnsw->hnsw.efSearch = knobs.efSearch;
    hnsw->search(nq, x, k, r.distances, r.labels);
  } else if (auto* refine = dynamic_cast<faiss::IndexRefine*>(inner);
             refine && dynamic_cast<faiss::IndexIVF*>(refine->base_index)) {
    FAISS_THROW_IF_NOT_MSG(knobs.efSearch == 0, "efSearch applies to HNSW indexes, this one is IVF");
    // FAISS 1.7.3's IndexRefine takes no SearchParameters, so its IVF's nprobe is swapped for the call, which needs
    // the index to itself.
    auto* ivf = static_cast<faiss::IndexIVF*>(refine->base_index);
    std::unique_lock lock(guarded.mutex);
    Restore<size_t> restore{ivf->nprobe, ivf->nprobe};
    ivf->nprobe = knobs.nprobe;
    refine->search(nq, x, k, r.distances, r.labels);
  } else {
    FAISS_THROW_MSG("nprobe/efSearch apply to IVF and HNSW indexes only");
  }
  if (idmap) {
    for (idx_t i = 0; i < nq * k; i++) {
      if (r.labels[i] >= 0) r.labels[i] = idmap->id_map[r.labels[i]];
    }
  }
}

void checkK(idx_t k) {
  // Not every index type checks k itself, and a negative k would size the result buffers nonsensically.
  FAISS_THROW_IF_NOT_FMT(k > 0, "k = %ld must be positive", static_cast<long>(k));
}

void runSearch(Guarded& guarded, const float* x, idx_t nq, idx_t k, const Knobs& knobs, SearchOut out) {
  checkK(k);
  if (knobs.nprobe || knobs.efSearch) {
    searchWithKnobs(guarded, x, nq, k, knobs, out);
  } else {
    std::shared_lock lock(guarded.mutex);
    guarded.index->search(nq, x, k, out.distances, out.labels);
  }
}

// Float64Array rather than BigInt64Array: ids are below 2^53 (enforced on add) and JS code wants numbers.
// A double and an idx_t are both 8 bytes, so FAISS writes its labels straight into the Float64Array's memory and
// each is converted where it lies: no scratch buffer, no copy.
static_assert(sizeof(double) == sizeof(idx_t), "labels are converted in place");

idx_t* labelSlots(Napi::Float64Array labels) { return reinterpret_cast<idx_t*>(labels.Data()); }

void labelsToDoubles(Napi::Float64Array labels) {
  unsigned char* bytes = reinterpret_cast<unsigned char*>(labels.Data());
  for (size_t i = 0; i < labels.ElementLength(); i++) {
    idx_t id;
    std::memcpy(&id, bytes + i * sizeof id, sizeof id);
    double value = static_cast<double>(id);
    std::memcpy(bytes + i * sizeof value, &value, sizeof value);
  }
}

Napi::Object resultObject(Napi::Env env, Napi::Float32Array distances, Napi::Float64Array labels) {
  auto out = Napi::Object::New(env);
  out.Set("distances", distances);
  out.Set("labels", labels);
  return out;
}

Napi::Object toJs(Napi::Env env, const SearchResult& r) {
  auto distances = Napi::Float32Array::New(env, r.distances.size());
  std::copy(r.distances.begin(), r.distances.end(), distances.Data());
  auto labels = Napi::Float64Array::New(env, r.labels.size());
  std::copy(r.labels.begin(), r.labels.end(), labelSlots(labels));
  labelsToDoubles(labels);
  return resultObject(env, distances, labels);
}

// The caller's result arrays for a synchronous search (FAISS's own convention: outputs are the caller's memory),
// so a loop of single queries allocates nothing per call; without them, fresh arrays of nq × k.
struct JsOut {
  Napi::Float32Array distances;
  Napi::Float64Array labels;
  bool given;
};

JsOut outArg(const Napi::CallbackInfo& info, size_t i, size_t size, const std::string& what) {
  Napi::Env env = info.Env();
  if (info.Length() <= i || info[i].IsUndefined()) {
    return {Napi::Float32Array::New(env, size), Napi::Float64Array::New(env, size), false};
  }
  if (!info[i].IsObject()) throw Napi::TypeError::New(env, what + ": out must be an object");
  Napi::Object out = info[i].As<Napi::Object>();
  Napi::Value distances = out.Get("distances");
  Napi::Value labels = out.Get("labels");
  if (!distances.IsTypedArray() || distances.As<Napi::TypedArray>().TypedArrayType() != napi_float32_array ||
      !labels.IsTypedArray() || labels.As<Napi::TypedArray>().TypedArrayType() != napi_float64_array) {
    throw Napi::TypeError::New(env, what + ": out must hold a Float32Array distances and a Float64Array labels");
  }
  JsOut r{distances.As<Napi::Float32Array>(), labels.As<Napi::Float64Array>(), true};
  if (r.distances.ElementLength() != size || r.labels.ElementLength() != size) {
    throw Napi::RangeError::New(env, what + ": out arrays must hold nq × k = " + std::to_string(size) + " values");
  }
  return r;
}

class SearchWorker : public Napi::AsyncWorker {
 public:
  SearchWorker(Napi::Env env, std::shared_ptr<Guarded> guarded, std::vector<float> queries, idx_t nq, idx_t k,
               Knobs knobs)
      : Napi::AsyncWorker(env, "faiss.search"),
        deferred_(Napi::Promise::Deferred::New(env)),
        guarded_(std::move(guarded)),
        queries_(std::move(queries)),
        nq_(nq),
        k_(k),
        knobs_(knobs) {}

  Napi::Promise Promise() { return deferred_.Promise(); }

 protected:
  void Execute() override {
    try {
      checkK(k_);
      result_ = {std::vector<float>(nq_ * k_), std::vector<idx_t>(nq_ * k_)};
      runSearch(*guarded_, queries_.data(), nq_, k_, knobs_, {result_.distances.data(), result_.labels.data()});
    } catch (const std::exception& e) {
      SetError(std::string("faiss searchAsync failed: ") + e.what());
    }
  }

  void OnOK() override { deferred_.Resolve(toJs(Env(), result_)); }

  void OnError(const Napi::Error& error) override { deferred_.Reject(error.Value()); }

 private:
  Napi::Promise::Deferred deferred_;
  // Shared so the index outlives a JS object collected while its search is still running.
  std::shared_ptr<Guarded> guarded_;
  std::vector<float> queries_;
  idx_t nq_;
  idx_t k_;
  Knobs knobs_;
  SearchResult result_;
};

class SafeIndex : public Napi::ObjectWrap<SafeIndex> {
 public:
  static Napi::Object Init(Napi::Env env, Napi::Object exports) {
    Napi::Function cls = DefineClass(env, "SafeIndex",
                                     {
                                         StaticMethod("fromFactory", &SafeIndex::FromFactory),
                                         StaticMethod("read", &SafeIndex::Read),
                                         InstanceMethod("getDimension", &SafeIndex::GetDimension),
                                         InstanceMethod("ntotal", &SafeIndex::Ntotal),
                                         InstanceMethod("isTrained", &SafeIndex::IsTrained),
                                         InstanceMethod("train", &SafeIndex::Train),
                                         InstanceMethod("add", &SafeIndex::Add),
                                         InstanceMethod("addWithIds", &SafeIndex::AddWithIds),
                                         InstanceMethod("removeIds", &SafeIndex::RemoveIds),
                                         InstanceMethod("setParameter", &SafeIndex::SetParameter),
                                         InstanceMethod("search", &SafeIndex::Search),
                                         InstanceMethod("searchAsync", &SafeIndex::SearchAsync),
                                         InstanceMethod("write", &SafeIndex::Write),
                                     });
    constructor_ = new Napi::FunctionReference(Napi::Persistent(cls));
    exports.Set("SafeIndex", cls);
    return exports;
  }

  explicit SafeIndex(const Napi::CallbackInfo& info) : Napi::ObjectWrap<SafeIndex>(info) {
    if (info.Length() != 1 || !info[0].IsExternal()) {
      throw Napi::TypeError::New(info.Env(), "SafeIndex: construct with SafeIndex.fromFactory() or SafeIndex.read()");
    }
    auto* index = info[0].As<Napi::External<faiss::Index>>().Data();
    guarded_ = std::make_shared<Guarded>();
    guarded_->index.reset(index);
  }

 private:
  static Napi::Value Wrap(Napi::Env env, faiss::Index* index) {
    return constructor_->New({Napi::External<faiss::Index>::New(env, index)});
  }

  static Napi::Value FromFactory(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    const std::string what = "fromFactory";
    double d = numberArg(info, 0, what, "d");
    std::string description = stringArg(info, 1, what, "description");
    double metric = numberArg(info, 2, what, "metric");
    if (!(d >= 1 && d <= 65536) || std::trunc(d) != d) {
      throw Napi::RangeError::New(env, what + ": d = " + std::to_string(d) + " is not an integer in [1, 65536]");
    }
    if (metric != faiss::METRIC_INNER_PRODUCT && metric != faiss::METRIC_L2) {
      throw Napi::RangeError::New(env, what + ": metric " + std::to_string(metric) +
                                           " is neither METRIC_INNER_PRODUCT (0) nor METRIC_L2 (1)");
    }
    // FAISS's factory makes ",RFlat" the outermost index whatever comes first, so "IDMap2,IVF…,RFlat" would put
    // the id map under the re-ranking, which cannot take ids: the id map is put around the factory's result here.
    const std::string idMap2 = "IDMap2,";
    const bool mapIds = description.rfind(idMap2, 0) == 0;
    faiss::Index* index = faissCall(env, "index_factory(\"" + description + "\")", [&]() -> faiss::Index* {
      std::unique_ptr<faiss::Index> inner(faiss::index_factory(
          static_cast<int>(d), description.c_str() + (mapIds ? idMap2.size() : 0), static_cast<faiss::MetricType>(metric)));
      if (!mapIds) return inner.release();
      auto* map = new faiss::IndexIDMap2(inner.get());
      map->own_fields = true;
      inner.release();
      return map;
    });
    return Wrap(env, index);
  }

  static Napi::Value Read(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    std::string path = stringArg(info, 0, "read", "path");
    faiss::Index* index = faissCall(env, "read_index(\"" + path + "\")", [&] { return faiss::read_index(path.c_str()); });
    return Wrap(env, index);
  }

  faiss::Index& index() { return *guarded_->index; }

  // Getters read without the lock: only the JS thread mutates the index, and these run on the JS thread.
  Napi::Value GetDimension(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), index().d); }

  Napi::Value Ntotal(const Napi::CallbackInfo& info) {
    return Napi::Number::New(info.Env(), static_cast<double>(index().ntotal));
  }

  Napi::Value IsTrained(const Napi::CallbackInfo& info) { return Napi::Boolean::New(info.Env(), index().is_trained); }

  Napi::Value Train(const Napi::CallbackInfo& info) {
    FloatRows x = floatRows(info[0], index().d, "train");
    faissCall(info.Env(), "train", [&] {
      std::unique_lock lock(guarded_->mutex);
      index().train(x.n, x.data);
    });
    return info.Env().Undefined();
  }

  Napi::Value Add(const Napi::CallbackInfo& info) {
    FloatRows x = floatRows(info[0], index().d, "add");
    faissCall(info.Env(), "add", [&] {
      std::unique_lock lock(guarded_->mutex);
      index().add(x.n, x.data);
    });
    return info.Env().Undefined();
  }

  Napi::Value AddWithIds(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    FloatRows x = floatRows(info[0], index().d, "addWithIds");
    std::vector<idx_t> xids = ids(info[1], "addWithIds");
    if (static_cast<idx_t>(xids.size()) != x.n) {
      throw Napi::RangeError::New(env, "addWithIds: " + std::to_string(x.n) + " vectors but " +
                                           std::to_string(xids.size()) + " ids");
    }
    faissCall(env, "add_with_ids", [&] {
      std::unique_lock lock(guarded_->mutex);
      index().add_with_ids(x.n, x.data, xids.data());
    });
    return env.Undefined();
  }

  Napi::Value RemoveIds(const Napi::CallbackInfo& info) {
    std::vector<idx_t> xids = ids(info[0], "removeIds");
    size_t removed = faissCall(info.Env(), "remove_ids", [&] {
      std::unique_lock lock(guarded_->mutex);
      faiss::IDSelectorBatch selector(xids.size(), xids.data());
      return index().remove_ids(selector);
    });
    return Napi::Number::New(info.Env(), static_cast<double>(removed));
  }

  Napi::Value SetParameter(const Napi::CallbackInfo& info) {
    std::string name = stringArg(info, 0, "setParameter", "name");
    double value = numberArg(info, 1, "setParameter", "value");
    faissCall(info.Env(), "set_index_parameter(\"" + name + "\")", [&] {
      std::unique_lock lock(guarded_->mutex);
      faiss::ParameterSpace().set_index_parameter(&index(), name, value);
    });
    return info.Env().Undefined();
  }

  Napi::Value Search(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    FloatRows x = floatRows(info[0], index().d, "search");
    idx_t k = integerK(info[1], "search");
    Knobs knobs = knobsArg(info, 2, "search");
    faissCall(env, "search", [&] { checkK(k); });
    JsOut out = outArg(info, 3, static_cast<size_t>(x.n * k), "search");
    faissCall(env, "search", [&] {
      runSearch(*guarded_, x.data, x.n, k, knobs, {out.distances.Data(), labelSlots(out.labels)});
    });
    labelsToDoubles(out.labels);
    return out.given ? info[3].As<Napi::Object>() : resultObject(env, out.distances, out.labels);
  }

  Napi::Value SearchAsync(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    FloatRows x = floatRows(info[0], index().d, "searchAsync");
    idx_t k = integerK(info[1], "searchAsync");
    Knobs knobs = knobsArg(info, 2, "searchAsync");
    // Copied: the caller may reuse its Float32Array before the worker thread reads it.
    std::vector<float> queries(x.data, x.data + x.n * index().d);
    auto* worker = new SearchWorker(env, guarded_, std::move(queries), x.n, k, knobs);
    Napi::Promise promise = worker->Promise();
    worker->Queue();
    return promise;
  }

  Napi::Value Write(const Napi::CallbackInfo& info) {
    std::string path = stringArg(info, 0, "write", "path");
    faissCall(info.Env(), "write_index(\"" + path + "\")", [&] {
      std::shared_lock lock(guarded_->mutex);
      faiss::write_index(&index(), path.c_str());
    });
    return info.Env().Undefined();
  }

  std::shared_ptr<Guarded> guarded_;
  inline static Napi::FunctionReference* constructor_ = nullptr;
};

}  // namespace

Napi::Object InitSafeIndex(Napi::Env env, Napi::Object exports) { return SafeIndex::Init(env, exports); }
