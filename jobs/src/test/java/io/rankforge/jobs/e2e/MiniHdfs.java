package io.rankforge.jobs.e2e;

import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hdfs.MiniDFSCluster;

/** An in-process HDFS for the tests: one NameNode and one DataNode storing under {@code dir}, replication 1. */
final class MiniHdfs {
    private MiniHdfs() {}

    static MiniDFSCluster start(Path dir) throws Exception {
        Configuration conf = new Configuration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, dir.resolve("dfs").toString());
        conf.setInt("dfs.replication", 1);
        MiniDFSCluster cluster =
                new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
        cluster.waitActive();
        return cluster;
    }
}
