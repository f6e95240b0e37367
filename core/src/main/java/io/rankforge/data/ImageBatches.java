package io.rankforge.data;

import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.stream.IntStream;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * A DL4J iterator over an {@link ImageDataset} in mini-batches. A shuffled iterator draws a new order
 * at every {@link #reset()} from {@code Random(seed + epoch)}, so a training run is repeatable.
 * Not asynchronous: DL4J must not prefetch on another thread (keeps the order deterministic).
 */
public final class ImageBatches implements DataSetIterator {
    private final ImageDataset data;
    private final int batchSize;
    private final boolean shuffle;
    private final long seed;
    private int epoch;
    private int[] order;
    private int cursor;
    private DataSetPreProcessor preProcessor;

    private ImageBatches(ImageDataset data, int batchSize, boolean shuffle, long seed) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batchSize must be > 0, got " + batchSize);
        }
        this.data = data;
        this.batchSize = batchSize;
        this.shuffle = shuffle;
        this.seed = seed;
        this.order = drawOrder();
    }

    public static ImageBatches shuffled(ImageDataset data, int batchSize, long seed) {
        return new ImageBatches(data, batchSize, true, seed);
    }

    public static ImageBatches inOrder(ImageDataset data, int batchSize) {
        return new ImageBatches(data, batchSize, false, 0);
    }

    private int[] drawOrder() {
        int[] o = IntStream.range(0, data.size()).toArray();
        if (shuffle) {
            Random r = new Random(seed + epoch);
            for (int i = o.length - 1; i > 0; i--) {
                int j = r.nextInt(i + 1);
                int t = o[i];
                o[i] = o[j];
                o[j] = t;
            }
        }
        return o;
    }

    @Override
    public boolean hasNext() {
        return cursor < order.length;
    }

    @Override
    public DataSet next() {
        return next(batchSize);
    }

    @Override
    public DataSet next(int num) {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        int end = Math.min(order.length, cursor + num);
        int[] idx = new int[end - cursor];
        System.arraycopy(order, cursor, idx, 0, idx.length);
        DataSet ds = data.select(idx).toDataSet();
        cursor = end;
        if (preProcessor != null) {
            preProcessor.preProcess(ds);
        }
        return ds;
    }

    @Override
    public int inputColumns() {
        return data.height() * data.width();
    }

    @Override
    public int totalOutcomes() {
        return ImageDataset.CLASSES;
    }

    @Override
    public boolean resetSupported() {
        return true;
    }

    @Override
    public boolean asyncSupported() {
        return false;
    }

    @Override
    public void reset() {
        cursor = 0;
        if (shuffle) {
            epoch++;
            order = drawOrder();
        }
    }

    @Override
    public int batch() {
        return batchSize;
    }

    @Override
    public void setPreProcessor(DataSetPreProcessor preProcessor) {
        this.preProcessor = preProcessor;
    }

    @Override
    public DataSetPreProcessor getPreProcessor() {
        return preProcessor;
    }

    @Override
    public List<String> getLabels() {
        return IntStream.range(0, ImageDataset.CLASSES)
                .mapToObj(Integer::toString)
                .toList();
    }
}
