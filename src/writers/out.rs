//! Where one table's bytes go: a file in the export's folder, written
//! under a temporary name and renamed into place once complete (a failed
//! export leaves no half-written file under the real name), or stdout.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// The export's destination: a folder of files, or stdout (one table).
#[derive(Debug, Clone)]
pub enum Target {
    Dir(PathBuf),
    Stdout,
}

pub struct TableOut {
    w: BufWriter<Box<dyn Write>>,
    rename: Option<(PathBuf, PathBuf)>,
    /// Stdout's reader has gone (`| head`): the rest is not wanted, as a
    /// program killed by SIGPIPE would not write it.
    closed: bool,
}

fn broken_pipe(e: &std::io::Error) -> bool {
    e.kind() == std::io::ErrorKind::BrokenPipe
}

impl TableOut {
    /// `file_name` in `target`'s folder, or stdout.
    pub fn create(target: &Target, file_name: &str) -> std::io::Result<TableOut> {
        match target {
            Target::Dir(dir) => TableOut::file(dir, file_name),
            Target::Stdout => Ok(TableOut {
                w: BufWriter::with_capacity(1 << 16, Box::new(std::io::stdout())),
                rename: None,
                closed: false,
            }),
        }
    }

    fn file(dir: &Path, file_name: &str) -> std::io::Result<TableOut> {
        let path = dir.join(file_name);
        let tmp = dir.join(format!(".{file_name}.tmp"));
        let f = File::create(&tmp)?;
        Ok(TableOut {
            w: BufWriter::with_capacity(1 << 16, Box::new(f)),
            rename: Some((tmp, path)),
            closed: false,
        })
    }

    /// Flush, and put the file in place.
    pub fn finish(mut self) -> std::io::Result<()> {
        self.flush()?;
        drop(self.w);
        if let Some((tmp, path)) = self.rename {
            std::fs::rename(tmp, path)?;
        }
        Ok(())
    }
}

impl TableOut {
    /// Stdout closed by its reader ends the output quietly; any other
    /// error is the export's.
    fn guard<T>(&mut self, r: std::io::Result<T>, closed: T) -> std::io::Result<T> {
        match r {
            Err(e) if self.rename.is_none() && broken_pipe(&e) => {
                self.closed = true;
                Ok(closed)
            }
            r => r,
        }
    }
}

impl Write for TableOut {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.closed {
            return Ok(buf.len());
        }
        let r = self.w.write(buf);
        self.guard(r, buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        if self.closed {
            return Ok(());
        }
        let r = self.w.flush();
        self.guard(r, ())
    }
}
