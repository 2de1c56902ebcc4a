import {createRoot} from 'react-dom/client';
import {Uploader} from '../src/react.js';

createRoot(document.getElementById('root')!).render(<Uploader />);
