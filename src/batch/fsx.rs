//! File operations that never leave OUT.
//!
//! Every change yoshiki makes to OUT goes through a [`Dir`]: a handle on a
//! directory, opened once, under which names are opened, created, renamed
//! and removed *relative to the handle* (`openat`, `renameat`, `linkat`,
//! `unlinkat` on Unix) with `O_NOFOLLOW`. So a symbolic link planted inside
//! OUT — a ward folder that is a link to somewhere else, a data file that is
//! a link to `/etc/passwd` — is never followed, whether it was there before
//! the run or appears during it: opening it as a folder fails with "a
//! symbolic link", and a rename over a link replaces the link itself. Only
//! OUT itself, the path the user named, is resolved as given.
//!
//! Every error carries the path it is about (`OUT/271071: a symbolic
//! link…`), so callers print it as it is.
//!
//! Names are single components; a name with `/`, or `.`/`..`, is refused
//! (manifest paths are checked before they get here, this is the last
//! guard). On other systems than Unix the same operations go through paths
//! with a no-follow check before each step (racy against a concurrent
//! attacker, exact against links already there).

use std::ffi::OsString;
use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};

/// What a name in a directory is, without following a link.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    File,
    Dir,
    Link,
    /// A FIFO, socket or device.
    Other,
}

/// An error about `path`, its message naming it.
pub fn at(path: &Path, e: io::Error) -> io::Error {
    io::Error::new(e.kind(), format!("{}: {}", path.display(), plain(&e)))
}

/// The message of an OS error without the "(os error N)" tail.
fn plain(e: &io::Error) -> String {
    let s = e.to_string();
    match s.find(" (os error") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

fn link_error(path: &Path) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidInput,
        format!(
            "{}: a symbolic link: yoshiki does not follow links inside its output directory; remove the link",
            path.display()
        ),
    )
}

fn not_a_folder(path: &Path) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidInput,
        format!("{}: not a folder (yoshiki writes a folder there)", path.display()),
    )
}

/// `name` as one path component.
fn component(dir: &Path, name: &str) -> io::Result<()> {
    if name.is_empty() || name == "." || name == ".." || name.contains(['/', '\\', '\0']) {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("{}: {name:?} is not a file name", dir.display()),
        ));
    }
    Ok(())
}

/// Split `a/b/c.json` into its folders and its file name.
pub fn split(rel: &str) -> (Vec<&str>, &str) {
    let mut parts: Vec<&str> = rel.split('/').collect();
    let name = parts.pop().unwrap_or_default();
    (parts, name)
}

/// A directory handle; see the module documentation.
pub struct Dir {
    path: PathBuf,
    #[cfg(unix)]
    fd: std::os::fd::OwnedFd,
}

impl std::fmt::Debug for Dir {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Dir({})", self.path.display())
    }
}

impl Dir {
    /// The path, for messages.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// `path/name`, for messages.
    pub fn join(&self, name: &str) -> PathBuf {
        self.path.join(name)
    }

    /// The folder at `rel` (`a/b`) under this one, each step a real folder,
    /// never a link.
    pub fn walk(&self, rel: &[&str]) -> io::Result<Dir> {
        let mut d = self.sub(rel.first().copied().unwrap_or("."))?;
        for name in rel.iter().skip(1) {
            d = d.sub(name)?;
        }
        Ok(d)
    }

    /// Like `walk`, creating the folders that are missing.
    pub fn walk_create(&self, rel: &[&str]) -> io::Result<Dir> {
        let Some(first) = rel.first() else {
            return self.sub(".");
        };
        let mut d = self.sub_create(first)?;
        for name in rel.iter().skip(1) {
            d = d.sub_create(name)?;
        }
        Ok(d)
    }

    /// The folder `name` in this one, created if missing.
    pub fn sub_create(&self, name: &str) -> io::Result<Dir> {
        match self.mkdir(name) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(e),
        }
        self.sub(name)
    }

    /// Whether `name` is there, and what it is (a link is not followed).
    pub fn kind(&self, name: &str) -> io::Result<Option<Kind>> {
        match self.stat(name) {
            Ok(k) => Ok(Some(k.0)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// The (device, inode) of `name`, a link not followed.
    pub fn identity(&self, name: &str) -> io::Result<(u64, u64)> {
        self.stat(name).map(|s| s.1)
    }

    /// The sha256 of the regular file `name`; `None` if there is none.
    /// A link, folder or special file there is an error naming it.
    pub fn hash(&self, name: &str) -> io::Result<Option<String>> {
        let f = match self.open_read(name) {
            Ok(f) => f,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e),
        };
        super::output::hash_reader(f)
            .map(Some)
            .map_err(|e| at(&self.join(name), e))
    }

    /// Remove everything under `name` (a folder or a file), never
    /// following a link: a link is removed as a link.
    pub fn remove_all(&self, name: &str) -> io::Result<()> {
        match self.kind(name)? {
            None => Ok(()),
            Some(Kind::Dir) => {
                let d = self.sub(name)?;
                for (child, _) in d.entries()? {
                    match child.to_str() {
                        Some(c) => d.remove_all(c)?,
                        None => d.remove_os(&child)?,
                    }
                }
                self.rmdir(name)
            }
            Some(_) => self.unlink(name),
        }
    }

    /// Remove the folder `name` if it is empty; say whether it went.
    pub fn remove_if_empty(&self, name: &str) -> io::Result<bool> {
        match self.rmdir(name) {
            Ok(()) => Ok(true),
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::NotFound | io::ErrorKind::DirectoryNotEmpty | io::ErrorKind::AlreadyExists
                ) =>
            {
                Ok(false)
            }
            Err(e) => Err(e),
        }
    }
}

#[cfg(unix)]
mod imp {
    use super::*;
    use rustix::fs::{AtFlags, FileType, Mode, OFlags};
    use rustix::io::Errno;
    use std::os::fd::AsFd;
    use std::os::unix::ffi::OsStringExt;

    fn sys(path: &Path, e: Errno) -> io::Error {
        at(path, io::Error::from(e))
    }

    impl Dir {
        /// The folder the user named (a link there is followed: the user
        /// chose it), created with its parents if missing.
        pub fn open_root(path: &Path) -> io::Result<Dir> {
            std::fs::create_dir_all(path).map_err(|e| at(path, e))?;
            let fd = rustix::fs::open(
                path,
                OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
                Mode::empty(),
            )
            .map_err(|e| match e {
                Errno::NOTDIR => not_a_folder(path),
                e => sys(path, e),
            })?;
            Ok(Dir {
                path: path.to_path_buf(),
                fd,
            })
        }

        /// An existing folder the user named, not created.
        pub fn open_existing(path: &Path) -> io::Result<Dir> {
            let fd = rustix::fs::open(
                path,
                OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
                Mode::empty(),
            )
            .map_err(|e| match e {
                Errno::NOTDIR => not_a_folder(path),
                e => sys(path, e),
            })?;
            Ok(Dir {
                path: path.to_path_buf(),
                fd,
            })
        }

        /// The folder `name` in this one; a link there is an error.
        pub fn sub(&self, name: &str) -> io::Result<Dir> {
            if name == "." {
                let fd = rustix::io::fcntl_dupfd_cloexec(&self.fd, 0).map_err(|e| sys(&self.path, e))?;
                return Ok(Dir {
                    path: self.path.clone(),
                    fd,
                });
            }
            component(&self.path, name)?;
            let path = self.join(name);
            match rustix::fs::openat(
                &self.fd,
                name,
                OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC,
                Mode::empty(),
            ) {
                Ok(fd) => Ok(Dir { path, fd }),
                Err(Errno::LOOP) => Err(link_error(&path)),
                Err(Errno::NOTDIR) => match self.kind(name) {
                    Ok(Some(Kind::Link)) => Err(link_error(&path)),
                    _ => Err(not_a_folder(&path)),
                },
                Err(e) => Err(sys(&path, e)),
            }
        }

        pub fn mkdir(&self, name: &str) -> io::Result<()> {
            component(&self.path, name)?;
            rustix::fs::mkdirat(&self.fd, name, Mode::from_raw_mode(0o777)).map_err(|e| sys(&self.join(name), e))
        }

        pub(super) fn stat(&self, name: &str) -> io::Result<(Kind, (u64, u64))> {
            component(&self.path, name)?;
            let st =
                rustix::fs::statat(&self.fd, name, AtFlags::SYMLINK_NOFOLLOW).map_err(|e| sys(&self.join(name), e))?;
            let kind = match FileType::from_raw_mode(st.st_mode) {
                FileType::RegularFile => Kind::File,
                FileType::Directory => Kind::Dir,
                FileType::Symlink => Kind::Link,
                _ => Kind::Other,
            };
            Ok((kind, (st.st_dev as u64, st.st_ino as u64)))
        }

        /// The regular file `name`, for reading; a link or special file
        /// there is an error (and a FIFO is never waited on).
        pub fn open_read(&self, name: &str) -> io::Result<File> {
            component(&self.path, name)?;
            let path = self.join(name);
            let fd = rustix::fs::openat(
                &self.fd,
                name,
                OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::CLOEXEC,
                Mode::empty(),
            )
            .map_err(|e| match e {
                Errno::LOOP => link_error(&path),
                e => sys(&path, e),
            })?;
            let f = File::from(fd);
            let meta = f.metadata().map_err(|e| at(&path, e))?;
            if !meta.is_file() {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidInput,
                    format!("{}: not a regular file", path.display()),
                ));
            }
            Ok(f)
        }

        /// A new file `name` (it must not exist), readable as any file the
        /// user makes (mode 0666 less the umask).
        pub fn create_new(&self, name: &str) -> io::Result<File> {
            component(&self.path, name)?;
            let fd = rustix::fs::openat(
                &self.fd,
                name,
                OFlags::WRONLY | OFlags::CREATE | OFlags::EXCL | OFlags::NOFOLLOW | OFlags::CLOEXEC,
                Mode::from_raw_mode(0o666),
            )
            .map_err(|e| sys(&self.join(name), e))?;
            Ok(File::from(fd))
        }

        /// The file `name` for reading and writing, created if missing and
        /// never truncated (the lock file); a link there is an error.
        pub fn open_or_create(&self, name: &str) -> io::Result<File> {
            component(&self.path, name)?;
            let path = self.join(name);
            let fd = rustix::fs::openat(
                &self.fd,
                name,
                OFlags::RDWR | OFlags::CREATE | OFlags::NOFOLLOW | OFlags::CLOEXEC,
                Mode::from_raw_mode(0o666),
            )
            .map_err(|e| match e {
                Errno::LOOP => link_error(&path),
                e => sys(&path, e),
            })?;
            Ok(File::from(fd))
        }

        /// Rename `name` to `to/to_name`, replacing what is there (a link
        /// there is replaced, not followed).
        pub fn rename(&self, name: &str, to: &Dir, to_name: &str) -> io::Result<()> {
            component(&self.path, name)?;
            component(&to.path, to_name)?;
            rustix::fs::renameat(&self.fd, name, &to.fd, to_name).map_err(|e| {
                at(
                    &to.join(to_name),
                    io::Error::other(format!("cannot move {} here: {e}", self.join(name).display())),
                )
            })
        }

        /// A second name `to/to_name` for the file `name` (never a link's target).
        pub fn hard_link(&self, name: &str, to: &Dir, to_name: &str) -> io::Result<()> {
            component(&self.path, name)?;
            component(&to.path, to_name)?;
            rustix::fs::linkat(&self.fd, name, &to.fd, to_name, AtFlags::empty()).map_err(|e| sys(&to.join(to_name), e))
        }

        pub fn unlink(&self, name: &str) -> io::Result<()> {
            component(&self.path, name)?;
            rustix::fs::unlinkat(&self.fd, name, AtFlags::empty()).map_err(|e| sys(&self.join(name), e))
        }

        pub(super) fn remove_os(&self, name: &std::ffi::OsStr) -> io::Result<()> {
            rustix::fs::unlinkat(&self.fd, name, AtFlags::empty()).map_err(|e| sys(&self.path.join(name), e))
        }

        pub fn rmdir(&self, name: &str) -> io::Result<()> {
            component(&self.path, name)?;
            rustix::fs::unlinkat(&self.fd, name, AtFlags::REMOVEDIR).map_err(|e| {
                let kind = match e {
                    Errno::NOTEMPTY | Errno::EXIST => io::ErrorKind::DirectoryNotEmpty,
                    Errno::NOENT => io::ErrorKind::NotFound,
                    _ => io::Error::from(e).kind(),
                };
                io::Error::new(
                    kind,
                    format!("{}: {}", self.join(name).display(), plain(&io::Error::from(e))),
                )
            })
        }

        /// The names in this folder (not `.`, `..`), sorted, with what each is.
        pub fn entries(&self) -> io::Result<Vec<(OsString, Kind)>> {
            let mut out = Vec::new();
            let dir = rustix::fs::Dir::read_from(&self.fd).map_err(|e| sys(&self.path, e))?;
            for e in dir {
                let e = e.map_err(|e| sys(&self.path, e))?;
                let name = e.file_name().to_bytes();
                if name == b"." || name == b".." {
                    continue;
                }
                let name = OsString::from_vec(name.to_vec());
                let kind = match e.file_type() {
                    FileType::RegularFile => Kind::File,
                    FileType::Directory => Kind::Dir,
                    FileType::Symlink => Kind::Link,
                    FileType::Unknown => {
                        let st = rustix::fs::statat(&self.fd, name.as_os_str(), AtFlags::SYMLINK_NOFOLLOW)
                            .map_err(|e| sys(&self.path.join(&name), e))?;
                        match FileType::from_raw_mode(st.st_mode) {
                            FileType::RegularFile => Kind::File,
                            FileType::Directory => Kind::Dir,
                            FileType::Symlink => Kind::Link,
                            _ => Kind::Other,
                        }
                    }
                    _ => Kind::Other,
                };
                out.push((name, kind));
            }
            out.sort();
            Ok(out)
        }

        /// Make the folder's entries durable (after renames into it).
        pub fn sync(&self) -> io::Result<()> {
            rustix::fs::fsync(&self.fd).map_err(|e| sys(&self.path, e))
        }

        /// Whether `file` is the file `name` in this folder now.
        pub fn is_same_file(&self, name: &str, file: &File) -> io::Result<bool> {
            let st = rustix::fs::fstat(file.as_fd()).map_err(|e| sys(&self.join(name), e))?;
            match self.identity(name) {
                Ok(id) => Ok(id == (st.st_dev as u64, st.st_ino as u64)),
                Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(false),
                Err(e) => Err(e),
            }
        }
    }
}

#[cfg(not(unix))]
mod imp {
    use super::*;

    fn meta_kind(m: &std::fs::Metadata) -> Kind {
        let t = m.file_type();
        if t.is_symlink() {
            Kind::Link
        } else if t.is_dir() {
            Kind::Dir
        } else if t.is_file() {
            Kind::File
        } else {
            Kind::Other
        }
    }

    impl Dir {
        pub fn open_root(path: &Path) -> io::Result<Dir> {
            std::fs::create_dir_all(path).map_err(|e| at(path, e))?;
            Dir::open_existing(path)
        }

        pub fn open_existing(path: &Path) -> io::Result<Dir> {
            let m = std::fs::metadata(path).map_err(|e| at(path, e))?;
            if !m.is_dir() {
                return Err(not_a_folder(path));
            }
            Ok(Dir {
                path: path.to_path_buf(),
            })
        }

        pub fn sub(&self, name: &str) -> io::Result<Dir> {
            if name == "." {
                return Ok(Dir {
                    path: self.path.clone(),
                });
            }
            component(&self.path, name)?;
            let path = self.join(name);
            match self.stat(name)?.0 {
                Kind::Dir => Ok(Dir { path }),
                Kind::Link => Err(link_error(&path)),
                _ => Err(not_a_folder(&path)),
            }
        }

        pub fn mkdir(&self, name: &str) -> io::Result<()> {
            component(&self.path, name)?;
            std::fs::create_dir(self.join(name)).map_err(|e| at(&self.join(name), e))
        }

        pub(super) fn stat(&self, name: &str) -> io::Result<(Kind, (u64, u64))> {
            component(&self.path, name)?;
            let m = std::fs::symlink_metadata(self.join(name)).map_err(|e| at(&self.join(name), e))?;
            let stamp = m
                .modified()
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos() as u64);
            Ok((meta_kind(&m), (m.len(), stamp)))
        }

        pub fn open_read(&self, name: &str) -> io::Result<File> {
            let path = self.join(name);
            match self.stat(name)?.0 {
                Kind::File => File::open(&path).map_err(|e| at(&path, e)),
                Kind::Link => Err(link_error(&path)),
                _ => Err(io::Error::new(
                    io::ErrorKind::InvalidInput,
                    format!("{}: not a regular file", path.display()),
                )),
            }
        }

        pub fn create_new(&self, name: &str) -> io::Result<File> {
            component(&self.path, name)?;
            std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(self.join(name))
                .map_err(|e| at(&self.join(name), e))
        }

        pub fn open_or_create(&self, name: &str) -> io::Result<File> {
            component(&self.path, name)?;
            if self.kind(name)? == Some(Kind::Link) {
                return Err(link_error(&self.join(name)));
            }
            std::fs::OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(self.join(name))
                .map_err(|e| at(&self.join(name), e))
        }

        pub fn rename(&self, name: &str, to: &Dir, to_name: &str) -> io::Result<()> {
            component(&self.path, name)?;
            component(&to.path, to_name)?;
            std::fs::rename(self.join(name), to.join(to_name)).map_err(|e| at(&to.join(to_name), e))
        }

        pub fn hard_link(&self, name: &str, to: &Dir, to_name: &str) -> io::Result<()> {
            component(&self.path, name)?;
            component(&to.path, to_name)?;
            std::fs::hard_link(self.join(name), to.join(to_name)).map_err(|e| at(&to.join(to_name), e))
        }

        pub fn unlink(&self, name: &str) -> io::Result<()> {
            component(&self.path, name)?;
            std::fs::remove_file(self.join(name)).map_err(|e| at(&self.join(name), e))
        }

        pub(super) fn remove_os(&self, name: &std::ffi::OsStr) -> io::Result<()> {
            std::fs::remove_file(self.path.join(name)).map_err(|e| at(&self.path.join(name), e))
        }

        pub fn rmdir(&self, name: &str) -> io::Result<()> {
            component(&self.path, name)?;
            std::fs::remove_dir(self.join(name)).map_err(|e| at(&self.join(name), e))
        }

        pub fn entries(&self) -> io::Result<Vec<(OsString, Kind)>> {
            let mut out = Vec::new();
            for e in std::fs::read_dir(&self.path).map_err(|e| at(&self.path, e))? {
                let e = e.map_err(|e| at(&self.path, e))?;
                let m = std::fs::symlink_metadata(e.path()).map_err(|x| at(&e.path(), x))?;
                out.push((e.file_name(), meta_kind(&m)));
            }
            out.sort();
            Ok(out)
        }

        pub fn sync(&self) -> io::Result<()> {
            Ok(())
        }

        pub fn is_same_file(&self, name: &str, _file: &File) -> io::Result<bool> {
            Ok(self.kind(name)? == Some(Kind::File))
        }
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn links_inside_are_never_followed() {
        let t = tempfile::tempdir().unwrap();
        let outside = t.path().join("outside");
        std::fs::create_dir_all(&outside).unwrap();
        std::fs::write(outside.join("2022.json"), "theirs").unwrap();
        let out = t.path().join("out");
        std::fs::create_dir_all(&out).unwrap();
        std::os::unix::fs::symlink(&outside, out.join("271071")).unwrap();
        std::os::unix::fs::symlink(outside.join("2022.json"), out.join("file")).unwrap();
        let d = Dir::open_root(&out).unwrap();
        let e = d.sub("271071").unwrap_err();
        assert!(e.to_string().contains("271071: a symbolic link"), "{e}");
        assert!(d.sub_create("271071").is_err());
        assert!(d.walk_create(&["271071", "x"]).is_err());
        assert!(d.open_read("file").unwrap_err().to_string().contains("symbolic link"));
        assert_eq!(d.kind("271071").unwrap(), Some(Kind::Link));
        // remove_all removes the link, not what it points at.
        d.remove_all("271071").unwrap();
        d.remove_all("file").unwrap();
        assert_eq!(std::fs::read(outside.join("2022.json")).unwrap(), b"theirs");
        assert!(d.hash("nothing").unwrap().is_none());
        assert!(d.sub("..").is_err() && d.open_read("a/b").is_err());
    }

    #[test]
    fn rename_over_a_link_replaces_the_link() {
        let t = tempfile::tempdir().unwrap();
        let victim = t.path().join("victim");
        std::fs::write(&victim, "keep").unwrap();
        let d = Dir::open_root(&t.path().join("out")).unwrap();
        std::os::unix::fs::symlink(&victim, d.join("target")).unwrap();
        use std::io::Write;
        d.create_new("new").unwrap().write_all(b"new").unwrap();
        d.rename("new", &d, "target").unwrap();
        assert_eq!(std::fs::read(&victim).unwrap(), b"keep");
        assert_eq!(d.kind("target").unwrap(), Some(Kind::File));
    }
}
